import { JWTError } from "../errors/jwt-error.js";
import { encodeBase64url } from "../lib/base64url.js";
import { printable } from "../lib/printable.js";
import type { JWSHeader, SigningKey } from "../types.js";
import { prepareSigningKey } from "./prepared-key.js";

/**
 * Signs `payload` (already serialised) as a compact JWS (RFC 7515 §5.1, §7.1) with the key's
 * algorithm. The header's `alg` must be the key's: a key signs with one algorithm only.
 */
export function signJWS(header: JWSHeader, payload: string, key: SigningKey): string {
  if (typeof key === "object" && key !== null && header.alg !== key.alg) {
    throw new JWTError("KEY_ALG_MISMATCH", `the header alg is not the key's (${printable(key.alg)})`);
  }
  return signEncoded(encodeBase64url(JSON.stringify(header)), payload, key);
}

/**
 * Signs with a header segment already encoded (signJWT reuses it across tokens). The caller
 * guarantees that the header's `alg` is the key's.
 */
export function signEncoded(headerSegment: string, payload: string, key: SigningKey): string {
  if (typeof key !== "object" || key === null) throw new JWTError("KEY_INVALID", "no signing key was given");
  // The key's checks (alg none or unknown, type, size) ran once, when it was first used.
  const prepared = prepareSigningKey(key);
  if (!prepared.usable) throw new JWTError(prepared.code, prepared.reason, { alg: printable(key.alg) });
  const signingInput = `${headerSegment}.${encodeBase64url(payload)}`;
  return `${signingInput}.${prepared.sign(signingInput)}`;
}
