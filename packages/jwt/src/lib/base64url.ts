/**
 * Strict base64url (RFC 7515 §2, RFC 4648 §5): the URL-safe alphabet, no padding, no whitespace,
 * and canonical trailing bits, so that every byte string has exactly one encoding and a token
 * cannot be altered without changing its signing input (RFC 8725 §3.4 asks for strict parsing).
 *
 * Node's decoder is lenient: it accepts `+` and `/`, skips characters outside the alphabet,
 * stops at `=`, and reads a UTF-16 code unit above 0xff by its low byte. The checks below close
 * each gap at the cost of a few native calls, instead of a per-character loop in JavaScript.
 */

/** Value of each alphabet character (0..63), or -1. Indexed by char code < 128. */
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * True when `text` has no character that Node's decoder would read as something else: every
 * code unit is ASCII, and there is no `+` or `/` (the base64, not base64url, alphabet). Checked
 * once for a whole token; {@link decodeCheckedSegment} then catches the remaining ASCII strays.
 */
export function hasOnlyUnambiguousASCII(text: string): boolean {
  return Buffer.byteLength(text, "utf8") === text.length && text.indexOf("+") === -1 && text.indexOf("/") === -1;
}

/**
 * Decodes one segment of a text that passed {@link hasOnlyUnambiguousASCII}; undefined when it
 * is not canonical base64url. Node skips (or stops at) any other ASCII character, so the decoded
 * length is shorter than the segment length implies exactly when a stray character is present.
 */
export function decodeCheckedSegment(segment: string): Buffer | undefined {
  const length = segment.length;
  const rest = length & 3;
  if (rest === 1) return undefined; // 6 bits cannot encode a byte
  const bytes = Buffer.from(segment, "base64url");
  if (bytes.length !== (length * 3) >> 2) return undefined;
  if (rest !== 0) {
    // RFC 4648 §3.5: the unused low bits of the last character must be zero.
    const value = VALUE[segment.charCodeAt(length - 1)] ?? -1;
    if (value < 0 || (value & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  }
  return bytes;
}

/** Decodes a standalone base64url string strictly; undefined when it is not canonical. */
export function decodeBase64url(text: string): Buffer | undefined {
  return hasOnlyUnambiguousASCII(text) ? decodeCheckedSegment(text) : undefined;
}

/** Encodes bytes (or the UTF-8 of a string) as unpadded base64url. */
export function encodeBase64url(data: Uint8Array | string): string {
  return (
    typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ).toString("base64url");
}
