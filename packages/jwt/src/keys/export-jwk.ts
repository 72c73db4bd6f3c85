import { createPublicKey, type KeyObject } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import type { JWK, JWSAlgorithm } from "../types.js";
import { assertKeyFitsAlgorithm } from "./key-checks.js";
import { jwkThumbprint } from "./thumbprint.js";

/** Public members per key type (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2). An allow-list, so nothing else leaks. */
const publicMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ["crv", "x", "y"],
  OKP: ["crv", "x"],
  RSA: ["n", "e"],
};
/** Private members (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const privateMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ["d"],
  OKP: ["d"],
  RSA: ["d", "p", "q", "dp", "dq", "qi"],
  oct: ["k"],
};

/** Options of {@link exportJWK}. */
export interface ExportJWKOptions {
  alg: JWSAlgorithm;
  /** Default: the RFC 7638 thumbprint. */
  kid?: string;
  /** Include the private members (d, p, q, …, or an HMAC secret's k). Default false. */
  includePrivate?: boolean;
}

/**
 * A key as a JWK (RFC 7517) with `kid`, `alg` and `use: "sig"`. Public members only unless
 * `includePrivate`: a private key is exported as its public half, and an HMAC secret, which has
 * no public half, is refused.
 *
 * @example
 * const jwk = exportJWK(pair.publicKey, { alg: "EdDSA" });
 */
export function exportJWK(key: KeyObject, options: ExportJWKOptions): JWK {
  assertKeyFitsAlgorithm(key, options.alg);
  const includePrivate = options.includePrivate === true;
  if (key.type === "secret" && !includePrivate) {
    throw new JWTError(
      "KEY_INVALID",
      "an HMAC secret has no public form and is never published; pass includePrivate to export the secret itself",
      { alg: options.alg },
    );
  }
  const source = key.type === "private" && !includePrivate ? createPublicKey(key) : key;
  const full = source.export({ format: "jwk" }) as JWK;
  const kty = String(full.kty);
  const members = [...(publicMembers[kty] ?? []), ...(includePrivate ? (privateMembers[kty] ?? []) : [])];
  const jwk: JWK = { kty };
  for (const name of members) {
    if (full[name] !== undefined) jwk[name] = full[name];
  }
  jwk.kid = options.kid ?? jwkThumbprint(jwk);
  jwk.alg = options.alg;
  jwk.use = "sig";
  return jwk;
}

/** The public JWK members of a public or private asymmetric key, for thumbprints. */
export function publicJWKOf(key: KeyObject): JWK {
  const source = key.type === "private" ? createPublicKey(key) : key;
  const full = source.export({ format: "jwk" }) as JWK;
  const kty = String(full.kty);
  const jwk: JWK = { kty };
  for (const name of publicMembers[kty] ?? []) {
    if (full[name] !== undefined) jwk[name] = full[name];
  }
  return jwk;
}
