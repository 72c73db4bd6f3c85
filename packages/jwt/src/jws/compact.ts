import { JWTError } from "../errors/jwt-error.js";
import { decodeCheckedSegment, hasOnlyUnambiguousASCII } from "../lib/base64url.js";
import { parseJSONObject, utf8Text } from "../lib/json-object.js";
import type { JWSHeader } from "../types.js";

/** Default limit on a token's length, checked before any decoding (RFC 8725 §3.4 spirit). */
export const DEFAULT_MAX_TOKEN_SIZE = 8192;

/** Positions of the two dots of a compact JWS (RFC 7515 §7.1). */
export interface Dots {
  readonly first: number;
  readonly second: number;
}

/** Throws TOKEN_TOO_LARGE / MALFORMED for a value that cannot be a compact JWS of this size. */
export function checkSize(token: unknown, maxTokenSize: number): asserts token is string {
  if (typeof token !== "string") throw new JWTError("MALFORMED", `the token is a ${typeof token}, not a string`);
  if (token.length > maxTokenSize) {
    throw new JWTError("TOKEN_TOO_LARGE", `the token is ${token.length} bytes, over the limit of ${maxTokenSize}`, {
      actual: token.length,
    });
  }
}

/** The two dots of `header.payload.signature`; MALFORMED for any other number of segments. */
export function findDots(token: string): Dots {
  const first = token.indexOf(".");
  const second = first === -1 ? -1 : token.indexOf(".", first + 1);
  if (second === -1 || token.indexOf(".", second + 1) !== -1) throw segmentCountError(token);
  return { first, second };
}

/** MALFORMED naming the number of segments found. */
export function segmentCountError(token: string): JWTError {
  let parts = 1;
  for (let at = token.indexOf("."); at !== -1 && parts < 10; at = token.indexOf(".", at + 1)) parts++;
  const found = parts >= 10 ? "10 or more" : String(parts);
  return new JWTError("MALFORMED", `a compact JWS has 3 dot-separated segments, this token has ${found}`);
}

/** Decodes a segment strictly, or throws MALFORMED saying what is wrong with it. */
export function decodeSegment(segment: string, name: "header" | "payload" | "signature"): Buffer {
  const bytes = hasOnlyUnambiguousASCII(segment) ? decodeCheckedSegment(segment) : undefined;
  if (bytes === undefined) throw base64Error(segment, name);
  return bytes;
}

/** Decodes and parses the protected header (RFC 7515 §5.2 steps 2–4). */
export function decodeHeader(segment: string): JWSHeader {
  const header = parseJSONObject(utf8Text(decodeSegment(segment, "header")));
  if (header === undefined) throw new JWTError("MALFORMED", "the header is not a UTF-8 JSON object");
  return header as JWSHeader;
}

/** MALFORMED with the reason a segment is not strict base64url (RFC 7515 §2). */
export function base64Error(segment: string, name: string): JWTError {
  let reason = "is not base64url";
  if (segment.length === 0) reason = "is empty";
  else if (segment.includes("=")) reason = "has base64 padding (=), which JWS forbids";
  else if (segment.includes("+") || segment.includes("/")) reason = "uses the base64 alphabet (+ or /), not base64url";
  else if (/\s/.test(segment)) reason = "contains whitespace";
  else if (/[^A-Za-z0-9_-]/.test(segment)) reason = "contains a character outside the base64url alphabet";
  else if ((segment.length & 3) === 1) reason = "has a length that no byte string encodes to";
  else reason = "is not canonical base64url (non-zero trailing bits)";
  return new JWTError("MALFORMED", `the ${name} segment ${reason}`);
}
