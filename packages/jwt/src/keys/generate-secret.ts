import { randomBytes } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import { MIN_SECRET_BYTES } from "./check-secret.js";

const MAX_SECRET_BYTES = 1024;

/**
 * A new random HMAC secret, base64url-encoded (RFC 4648 §5): 32 bytes (256 bits) by default,
 * from the operating system's CSPRNG. Use 48 or 64 bytes for HS384 / HS512 (RFC 7518 §3.2).
 *
 * @example
 * const secret = generateSecret(); // "hY3…" (43 characters)
 */
export function generateSecret(options: { bytes?: number } = {}): string {
  const bytes = options.bytes ?? MIN_SECRET_BYTES;
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new JWTError(
      "OPTIONS_INVALID",
      `bytes must be an integer from ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} (got ${String(bytes)}): HMAC secrets need at least 256 random bits`,
      { option: "bytes" },
    );
  }
  return randomBytes(bytes).toString("base64url");
}
