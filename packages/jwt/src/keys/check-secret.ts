import { Buffer } from "node:buffer";
import { algorithmSpec } from "../lib/algorithms.js";
import type { JWSAlgorithm } from "../types.js";
import { JWT_IO_EXAMPLE_SECRETS, WELL_KNOWN_SECRETS } from "./weak-secrets.js";

/** Why a secret must not be used for signing, with a message that never contains the secret. */
export interface SecretWeakness {
  readonly reason: "missing" | "empty" | "too_short" | "well_known" | "low_entropy";
  readonly message: string;
}

/** The fewest bytes any HMAC secret may have: 256 bits, whatever the algorithm. */
export const MIN_SECRET_BYTES = 32;
const FIX = "generate one with `sigil secret`";

/**
 * Checks an HMAC secret before it is used, and says why it is unfit, or returns null. Refused:
 * an unset value (an unset environment variable must never become an empty-string secret), an
 * empty or blank one, fewer than 32 bytes or than the algorithm's hash size (RFC 7518 §3.2),
 * well-known strings such as jwt.io's "your-256-bit-secret", and trivially low-entropy ones (one
 * repeated character or a short repeated pattern, a run like "abcdef…", a well-known word padded).
 *
 * @example
 * checkSecret(process.env.JWT_SECRET, { alg: "HS256" })?.message;
 */
export function checkSecret(
  secret: string | Uint8Array | undefined,
  options: { alg?: JWSAlgorithm } = {},
): SecretWeakness | null {
  if (secret === undefined || secret === null) {
    return weakness(
      "missing",
      `no secret is set: an unset environment variable must never become an empty-string secret; ${FIX}`,
    );
  }
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  const text = bytes.toString("latin1");
  if (text.trim() === "") {
    return weakness("empty", `the secret is empty or blank; ${FIX}`);
  }
  const normalized = text.trim().toLowerCase();
  const known = findWellKnown(normalized);
  if (known !== undefined) {
    const what = JWT_IO_EXAMPLE_SECRETS.has(known)
      ? `the publicly known example from jwt.io (${JSON.stringify(known)})`
      : `the well-known weak string ${JSON.stringify(known)}, found in every password list`;
    const built = normalized === known ? "is" : "is built from";
    return weakness("well_known", `the secret ${built} ${what}; ${FIX}`);
  }
  const alg = options.alg ?? "HS256";
  const min = Math.max(MIN_SECRET_BYTES, algorithmSpec(alg)?.minSecretBytes ?? 0);
  if (bytes.length < min) {
    return weakness(
      "too_short",
      `the secret is ${bytes.length} bytes; ${alg} needs at least ${min} random bytes (RFC 7518 §3.2); ${FIX}`,
    );
  }
  const lowEntropy = describeLowEntropy(bytes);
  if (lowEntropy !== undefined) {
    return weakness("low_entropy", `the secret ${lowEntropy}, so it is easy to guess; ${FIX}`);
  }
  return null;
}

function weakness(reason: SecretWeakness["reason"], message: string): SecretWeakness {
  return Object.freeze({ reason, message });
}

/**
 * The well-known string this secret is, or is trivially built from: the string repeated, or
 * padded with separators or one repeated character ("secretsecretsecret…", "changeme000000…").
 */
function findWellKnown(normalized: string): string | undefined {
  if (WELL_KNOWN_SECRETS.has(normalized) || JWT_IO_EXAMPLE_SECRETS.has(normalized)) return normalized;
  for (const list of [JWT_IO_EXAMPLE_SECRETS, WELL_KNOWN_SECRETS]) {
    for (const known of list) {
      if (known.length < 4 || !normalized.includes(known)) continue;
      const rest = normalized
        .split(known)
        .join("")
        .replace(/[\s\-_.:;,!*#=+]/g, "");
      if (new Set(rest).size <= 1) return known;
    }
  }
  return undefined;
}

/** A short reason when the bytes are trivially guessable, else undefined. Bounded: O(n * 16). */
function describeLowEntropy(bytes: Uint8Array): string | undefined {
  const distinct = new Set(bytes).size;
  if (distinct === 1) return "is one character repeated";
  // Random secrets of >= 32 bytes almost never have fewer than 6 distinct symbols: even a
  // decimal-only one misses 5 of 10 digits with probability ~1e-7.
  if (distinct < 6) return `uses only ${distinct} distinct characters`;
  for (let period = 2; period <= 16 && period * 2 <= bytes.length; period++) {
    if (isPeriodic(bytes, period)) return `is a ${period}-character pattern repeated`;
  }
  let steps = 0;
  for (let i = 1; i < bytes.length; i++) {
    const diff = (bytes[i] ?? 0) - (bytes[i - 1] ?? 0);
    if (diff === 1 || diff === -1 || diff === 0) steps++;
  }
  // Random text has about 3 % of such steps; "abcdefgh…1234…" has nearly all.
  if (steps * 2 > bytes.length) return "is mostly a run of consecutive characters";
  return undefined;
}

function isPeriodic(bytes: Uint8Array, period: number): boolean {
  for (let i = period; i < bytes.length; i++) {
    if (bytes[i] !== bytes[i - period]) return false;
  }
  return true;
}
