import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256:";
const SECRET_BYTES = 32;

/*
 * Why SHA-256 and not argon2id for client secrets: a slow hash exists to make guessing a
 * low-entropy *password* from a leaked hash expensive. A client secret is 256 random bits chosen
 * by the server, so a leaked SHA-256 of it leaves 2^256 candidates — no hash speed makes that
 * searchable. A slow hash would only cost every service-to-service token request ~50 ms of CPU
 * and hand an attacker a cheap way to exhaust the hashing pool. (Lucia/oslo store session
 * secrets the same way.) The comparison is constant-time all the same.
 */

/** A new client secret: 256 random bits, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}

/** The stored form of a secret: `sha256:<base64url digest>`. */
export function hashClientSecret(secret: string): string {
  return PREFIX + digest(secret).toString("base64url");
}

// Compared against when the client is unknown, disabled or public, so that every failure costs
// the same hash and comparison as a wrong secret (no timing oracle for which client ids exist).
const DUMMY_DIGEST = digest(generateClientSecret());

/**
 * Checks a presented secret against a stored hash in constant time. A missing or unreadable
 * hash still does the same work and answers false.
 */
export function verifyClientSecret(secret: string, storedHash: string | null): boolean {
  const presented = digest(secret);
  const stored = storedHash === null ? undefined : decode(storedHash);
  const equal = timingSafeEqual(presented, stored ?? DUMMY_DIGEST);
  return stored !== undefined && equal;
}

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

function decode(storedHash: string): Buffer | undefined {
  if (!storedHash.startsWith(PREFIX)) return undefined;
  const bytes = Buffer.from(storedHash.slice(PREFIX.length), "base64url");
  return bytes.length === 32 ? bytes : undefined;
}
