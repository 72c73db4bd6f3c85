import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { randomId } from "./ids.js";

/**
 * Refresh tokens are opaque `<id>.<secret>` strings: a 128-bit random id (the row's primary key,
 * so lookup is an index hit, not a scan over hashes) and a 256-bit secret of which only SHA-256
 * is stored. A database reader therefore learns no usable token; the presented secret is compared
 * with the stored hash in constant time (the pattern of oslo/lucia session tokens).
 */
export interface RefreshToken {
  id: string;
  secret: string;
}

const ID = "[A-Za-z0-9_-]{22}";
const SECRET = "[A-Za-z0-9_-]{43}";
const FORMAT = new RegExp(`^(${ID})\\.(${SECRET})$`);

/** A fresh, random token (the first of a session). */
export function generateRefreshToken(): RefreshToken {
  return { id: randomId(), secret: randomBytes(32).toString("base64url") };
}

export function formatRefreshToken(token: RefreshToken): string {
  return `${token.id}.${token.secret}`;
}

/** The token's parts, or null for anything not shaped like one of ours (no database lookup then). */
export function parseRefreshToken(value: string): RefreshToken | null {
  const match = FORMAT.exec(value);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** What is stored: SHA-256 of the secret (a 256-bit random secret needs no slow hash or salt). */
export function hashRefreshSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function refreshSecretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashRefreshSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}

/**
 * The successor's secret, derived from the whole presented parent token:
 * HMAC-SHA256(derivationKey, "sigil/refresh-successor/v1" || 0x00 || parentId "." parentSecret).
 *
 * Why derive instead of drawing at random: within the grace window a repeated refresh of the same
 * parent (two tabs, a retry after a lost response) must get the SAME successor, yet only hashes are
 * stored, so the server cannot look the successor's plaintext up — it recomputes it.
 *
 * Why this keeps the security of random tokens:
 * - the input includes the parent's secret, which the server never stores, so someone who reads
 *   the database (hashes, ids, even the derivation key) cannot compute any successor;
 * - the derivation key is server-side, so someone holding an old parent token cannot compute its
 *   successor either — presenting the parent after the grace window is detected as reuse;
 * - HMAC-SHA256 output is 256 bits, indistinguishable from random without the key.
 */
export function deriveSuccessorSecret(derivationKey: Buffer, parent: RefreshToken): string {
  return createHmac("sha256", derivationKey)
    .update("sigil/refresh-successor/v1\0", "utf8")
    .update(`${parent.id}.${parent.secret}`, "utf8")
    .digest("base64url");
}
