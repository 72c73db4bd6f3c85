import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import type { JWSAlgorithm, SigningKey, VerificationKey } from "../types.js";
import { publicJWKOf } from "./export-jwk.js";
import { assertKeyFitsAlgorithm, inferAlgorithm, parseAlgorithm } from "./key-checks.js";
import { jwkThumbprint } from "./thumbprint.js";

const label = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const publicLabels: ReadonlySet<string> = new Set(["PUBLIC KEY", "RSA PUBLIC KEY"]);
const privateLabels: ReadonlySet<string> = new Set(["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]);

/** Options of {@link importPEM}. */
export interface ImportPEMOptions {
  /** Required for RSA keys; otherwise inferred from the key (Ed25519 → EdDSA, P-256 → ES256, …). */
  alg?: JWSAlgorithm;
  /** Default: the RFC 7638 thumbprint of the public key. */
  kid?: string;
}

/**
 * A key from one PEM block: SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY" for verifying; PKCS#8
 * "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" for signing. Encrypted keys
 * and certificates are refused.
 *
 * @throws JWTError KEY_INVALID when the text is not one supported PEM key, or does not fit alg.
 * @example
 * const key = importPEM(readFileSync("signing.pem", "utf8"), { alg: "ES256" });
 */
export function importPEM(pem: string, options: ImportPEMOptions = {}): VerificationKey | SigningKey {
  if (typeof pem !== "string") throw new JWTError("KEY_INVALID", "the PEM key must be a string");
  const labels = [...pem.matchAll(label)].map((match) => match[1] ?? "");
  const only = labels[0];
  if (labels.length !== 1 || only === undefined) {
    throw new JWTError(
      "KEY_INVALID",
      labels.length === 0
        ? "the text holds no PEM block (-----BEGIN …-----)"
        : `the text holds ${labels.length} PEM blocks; give exactly one key`,
    );
  }
  if (!publicLabels.has(only) && !privateLabels.has(only)) {
    throw new JWTError(
      "KEY_INVALID",
      only === "ENCRYPTED PRIVATE KEY"
        ? "the private key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -nocrypt… or keep it in a secret store)"
        : `unsupported PEM block "${only}": expected PUBLIC KEY, PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY or RSA PUBLIC KEY`,
    );
  }
  let key: KeyObject;
  try {
    key = publicLabels.has(only) ? createPublicKey(pem) : createPrivateKey(pem);
  } catch {
    throw new JWTError("KEY_INVALID", `the PEM "${only}" block could not be read as a key`);
  }
  const alg = options.alg === undefined ? inferAlgorithm(key) : parseAlgorithm(options.alg, "options.alg");
  assertKeyFitsAlgorithm(key, alg);
  const kid = options.kid ?? jwkThumbprint(publicJWKOf(key));
  return Object.freeze({ kid, alg, key });
}

/**
 * A key as PEM: SPKI for a public key, unencrypted PKCS#8 for a private key (store it like a
 * password). HMAC secrets have no PEM form.
 *
 * @example
 * writeFileSync("public.pem", exportPEM(pair.publicKey));
 */
export function exportPEM(key: KeyObject): string {
  if (key.type === "public") return key.export({ type: "spki", format: "pem" }).toString();
  if (key.type === "private") return key.export({ type: "pkcs8", format: "pem" }).toString();
  throw new JWTError("KEY_INVALID", "an HMAC secret has no PEM form; keep it as a base64url string (sigil secret)");
}
