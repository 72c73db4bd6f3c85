import { Buffer } from "node:buffer";
import { checkSecret } from "@sigil/jwt";
import { ConfigError } from "./config-error.js";

const KEK_SETTING = "SIGIL_KEY_ENCRYPTION_KEY";
const KEK_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const FIX = "generate one with `sigil secret`";

/**
 * The key-encryption key: exactly 32 bytes (AES-256) given as base64url. Messages give the
 * length and shape only, never the value.
 */
export function parseKeyEncryptionKey(raw: string): Buffer {
  if (!BASE64URL.test(raw)) {
    throw new ConfigError(
      KEK_SETTING,
      `must be 32 random bytes, base64url (it has characters outside A-Z a-z 0-9 - _); ${FIX}`,
    );
  }
  const key = Buffer.from(raw.replace(/=+$/, ""), "base64url");
  if (key.length !== KEK_BYTES) {
    throw new ConfigError(KEK_SETTING, `must be 32 random bytes, base64url (got ${key.length} bytes); ${FIX}`);
  }
  // 32 random bytes almost surely hold more than 16 distinct values (the expected count is ~30):
  // fewer means a typed or patterned key, not a random one.
  const distinct = new Set(key).size;
  if (distinct < 16) {
    throw new ConfigError(
      KEK_SETTING,
      `must be 32 random bytes, but it has only ${distinct} distinct byte values; ${FIX}`,
    );
  }
  return key;
}

/** RFC 6750 §2.1 b64token: what a Bearer credential may hold. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of GET /metrics: a shared secret like the HS256 one, so the same floor (32
 * bytes, not well known, not patterned) — a guessable token would only pretend to protect — and
 * only characters a Bearer header can carry, or no scraper could ever present it.
 */
export function parseMetricsToken(raw: string): string {
  const weakness = checkSecret(raw);
  if (weakness !== null) {
    const message = weakness.message.replace("HS256 needs", "it needs").replace(" (RFC 7518 §3.2)", "");
    throw new ConfigError("SIGIL_METRICS_TOKEN", message);
  }
  if (!B64TOKEN.test(raw)) {
    throw new ConfigError(
      "SIGIL_METRICS_TOKEN",
      `may hold only A-Z a-z 0-9 - . _ ~ + / and trailing = (a Bearer token, RFC 6750 §2.1); ${FIX}`,
    );
  }
  return raw;
}

/**
 * The HS256 secret of single-service mode, as its UTF-8 bytes (what `sigil secret` prints is
 * used as text, like every HMAC secret in an environment variable). Refused when @sigil/jwt's
 * checkSecret finds it weak: under 32 bytes, well known, or trivially low entropy.
 */
export function parseHmacSecret(raw: string | undefined): Buffer {
  const weakness = checkSecret(raw, { alg: "HS256" });
  if (weakness !== null) throw new ConfigError("SIGIL_HMAC_SECRET", weakness.message);
  return Buffer.from(raw ?? "", "utf8");
}
