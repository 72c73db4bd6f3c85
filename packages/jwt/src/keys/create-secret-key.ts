import { Buffer } from "node:buffer";
import { createSecretKey as createSecretKeyObject } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import type { SigningKey } from "../types.js";
import { checkSecret } from "./check-secret.js";
import { jwkThumbprint } from "./thumbprint.js";

/** The HMAC algorithms (RFC 7518 §3.2). */
export type HMACAlgorithm = "HS256" | "HS384" | "HS512";

const hmacAlgorithms: ReadonlySet<string> = new Set(["HS256", "HS384", "HS512"]);

/** Options of {@link createSecretKey}. */
export interface CreateSecretKeyOptions {
  /** Default HS256. */
  alg?: HMACAlgorithm;
  /** Default: the RFC 7638 thumbprint of the secret's `oct` JWK. */
  kid?: string;
  /**
   * Accept a weak secret (too short, well known, low entropy) — only to check legacy tokens,
   * never to sign new ones; warn loudly with {@link checkSecret}'s message. A missing or empty
   * secret is refused even then: it is always a configuration mistake.
   */
  allowWeak?: boolean;
}

/**
 * An HMAC key (for signing and verifying HS256/384/512) from a secret string or bytes. A string
 * is used as its UTF-8 bytes, as other JWT libraries do; it is not base64-decoded.
 *
 * @throws JWTError WEAK_SECRET when {@link checkSecret} finds the secret unfit.
 * @example
 * const key = createSecretKey(process.env.JWT_SECRET ?? "", { alg: "HS256" });
 */
export function createSecretKey(secret: string | Uint8Array, options: CreateSecretKeyOptions = {}): SigningKey {
  const alg = options.alg ?? "HS256";
  if (!hmacAlgorithms.has(alg)) {
    throw new JWTError("OPTIONS_INVALID", `alg must be HS256, HS384 or HS512 for an HMAC secret (got ${String(alg)})`, {
      option: "alg",
    });
  }
  const weakness = checkSecret(secret, { alg });
  if (weakness !== null) {
    const fatal = weakness.reason === "missing" || weakness.reason === "empty";
    if (fatal || options.allowWeak !== true) {
      throw new JWTError("WEAK_SECRET", `refusing the ${alg} secret: ${weakness.message}`, { alg });
    }
  }
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  const key = createSecretKeyObject(bytes);
  // The thumbprint is a hash of the secret. For a strong secret it reveals nothing; for a weak
  // one it adds nothing an attacker lacks, since any HS* token already allows offline guessing.
  const kid = options.kid ?? jwkThumbprint({ kty: "oct", k: bytes.toString("base64url") });
  bytes.fill(0);
  return Object.freeze({ kid, alg, key });
}
