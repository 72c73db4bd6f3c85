import { isUtf8 } from "node:buffer";

/**
 * Bytes as UTF-8 text, or undefined when they are not valid UTF-8. Invalid sequences are refused
 * rather than replaced with U+FFFD, so that two different byte strings never parse to the same
 * header or claims.
 */
export function utf8Text(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString("utf8") : undefined;
}

/**
 * Parses text as a JSON object (RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 10): valid JSON, and an
 * object — not an array, null, string or number. Undefined otherwise.
 */
export function parseJSONObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
