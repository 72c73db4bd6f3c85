import { createHash } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import type { JWK } from "../types.js";

/** The required members of each key type, in lexicographic order (RFC 7638 §3.2, RFC 8037 §2). */
const requiredMembers: Readonly<Record<string, readonly string[]>> = {
  EC: ["crv", "kty", "x", "y"],
  OKP: ["crv", "kty", "x"],
  RSA: ["e", "kty", "n"],
  oct: ["k", "kty"],
};

/**
 * The JWK thumbprint of a key (RFC 7638): a hash over its required public members only, so a
 * public and a private JWK of the same key, and the same key with other `kid`/`alg`/`use`, share
 * one thumbprint. Sigil uses it as the default `kid`.
 *
 * @example
 * jwkThumbprint({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" });
 * // "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" (RFC 8037 §A.3)
 */
export function jwkThumbprint(jwk: JWK, hash: "sha256" | "sha384" | "sha512" = "sha256"): string {
  const members = requiredMembers[jwk.kty];
  if (!members) {
    throw new JWTError("KEY_INVALID", `cannot compute a thumbprint for key type ${JSON.stringify(String(jwk.kty))}`);
  }
  // RFC 7638 §3.3: members in lexicographic order, no whitespace; JSON.stringify of an object
  // built in that order produces exactly this form for the base64url strings members hold.
  const canonical: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== "string" || value === "") {
      throw new JWTError("KEY_INVALID", `the ${jwk.kty} JWK lacks its required "${name}" member (RFC 7638 §3.2)`);
    }
    canonical[name] = value;
  }
  return createHash(hash).update(JSON.stringify(canonical)).digest("base64url");
}
