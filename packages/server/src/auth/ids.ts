import { randomBytes } from "node:crypto";

/** A random, URL-safe identifier with 128 bits of entropy (users, sessions, refresh-token ids, jti). */
export function randomId(): string {
  return randomBytes(16).toString("base64url");
}
