import { JWTError } from "../errors/jwt-error.js";
import { checkSize, DEFAULT_MAX_TOKEN_SIZE, decodeHeader, decodeSegment, findDots } from "../jws/compact.js";
import { parseJSONObject, utf8Text } from "../lib/json-object.js";
import type { JWSHeader, JWTPayload } from "../types.js";

/** A token taken apart without any verification. */
export interface DecodedJWT {
  readonly header: JWSHeader;
  readonly payload: JWTPayload;
  readonly signature: Buffer;
}

/** Options of {@link decodeJWT}. */
export interface DecodeOptions {
  /** Longest token accepted, in bytes. Default 8192. */
  readonly maxTokenSize?: number;
}

/**
 * Takes a compact JWT apart for tooling (`sigil decode`) with the verifier's strict parsing —
 * three segments, canonical base64url, JSON object header and payload — but NO signature or
 * claim check: never trust what it returns. An empty signature (an `alg: none` token) is
 * returned as an empty Buffer so that tools can show and warn about it.
 *
 * @example
 * const { header, payload } = decodeJWT(token); // throws JWTError MALFORMED / TOKEN_TOO_LARGE
 */
export function decodeJWT(token: string, options: DecodeOptions = {}): DecodedJWT {
  checkSize(token, options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE);
  const { first, second } = findDots(token);
  const header = decodeHeader(token.slice(0, first));
  const payload = parseJSONObject(utf8Text(decodeSegment(token.slice(first + 1, second), "payload")));
  if (payload === undefined) throw new JWTError("MALFORMED", "the payload is not a UTF-8 JSON object");
  const signature = decodeSegment(token.slice(second + 1), "signature");
  return { header, payload, signature };
}
