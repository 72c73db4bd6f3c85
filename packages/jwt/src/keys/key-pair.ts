import type { KeyObject } from "node:crypto";
import type { JWSAlgorithm, SigningKey, VerificationKey } from "../types.js";

/** Asymmetric JWS algorithms: the ones a key pair is generated for. */
export type AsymmetricAlgorithm = Exclude<JWSAlgorithm, "HS256" | "HS384" | "HS512">;

/** A generated key pair, with its signing and verification views sharing one `kid`. */
export interface KeyPair {
  readonly kid: string;
  readonly alg: AsymmetricAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly signing: SigningKey;
  readonly verification: VerificationKey;
}
