import { createPublicKey } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import type { SigningKey, VerificationKey } from "../types.js";
import type { KeyPair } from "./key-pair.js";

/**
 * The public verification key of an asymmetric signing key or key pair, with the same kid and
 * alg. HMAC secrets are refused: they have no public half, and returning the secret from a
 * function named "public" would invite publishing it.
 *
 * @example
 * const verification = publicKeyOf(importPEM(privatePem));
 */
export function publicKeyOf(key: SigningKey | KeyPair): VerificationKey {
  if ("verification" in key) return key.verification;
  if (key.key.type === "secret") {
    throw new JWTError("KEY_INVALID", "an HMAC secret has no public key: verifiers need the secret itself", {
      kid: key.kid,
      alg: key.alg,
    });
  }
  const publicKey = key.key.type === "public" ? key.key : createPublicKey(key.key);
  return Object.freeze({ kid: key.kid, alg: key.alg, key: publicKey });
}
