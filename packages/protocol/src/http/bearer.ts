import { readCookie } from "./cookie.js";

/** Where the token was found, or why none could be taken from the request. */
export type BearerExtraction =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid_request"; readonly reason: string };

export interface BearerSource {
  /**
   * The Authorization header: its one value, or every value the request carried (more than one
   * is an error).
   */
  authorization: string | readonly string[] | undefined;
  /** The Cookie header, read only when a cookie name is configured. */
  cookie?: string | undefined;
}

export interface BearerOptions {
  /** Also accept the token from this cookie when there is no Authorization header. */
  cookie?: string;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Whether a value is an RFC 6750 §2.1 b64token: what a Bearer credential (or a token cookie) may hold. */
export function isB64Token(value: string): boolean {
  return B64TOKEN.test(value);
}

const SCHEME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+(?: |$)/;
// The same b64token, tested from lastIndex (sticky) so the token need not be sliced out first.
const B64TOKEN_FROM = /[A-Za-z0-9\-._~+/]+=*$/y;

const MISSING: BearerExtraction = Object.freeze({ kind: "missing" });

/**
 * Takes the bearer token from a request (RFC 6750 §2.1): the scheme is case-insensitive, exactly
 * one b64token follows it, and a request with several Authorization headers is refused
 * (`invalid_request`, RFC 6750 §3.1) rather than guessed at. Tokens in the URI query
 * (RFC 6750 §2.3) are never read: they end up in logs and Referer headers (§5.3).
 * Another scheme (Basic, ...) counts as no bearer token, so the answer is a plain challenge.
 */
export function extractBearer(source: BearerSource, options: BearerOptions = {}): BearerExtraction {
  const headers = source.authorization;
  if (headers !== undefined && headers.length > 0) {
    let value: string;
    if (typeof headers === "string") value = headers;
    else if (headers.length > 1) return { kind: "invalid_request", reason: "several Authorization headers" };
    else value = headers[0] as string;
    const start = bearerTokenStart(value);
    if (start !== -1) return { kind: "token", token: value.slice(start) };
    const match = BEARER.exec(value);
    if (match) return { kind: "token", token: match[1] as string };
    if (/^bearer(?: |$)/i.test(value)) {
      return { kind: "invalid_request", reason: "the Authorization header is not `Bearer <one b64token>`" };
    }
    if (!SCHEME.test(value)) return { kind: "invalid_request", reason: "the Authorization header is malformed" };
  }
  if (options.cookie !== undefined && source.cookie !== undefined) {
    const token = readCookie(source.cookie, options.cookie);
    if (token !== undefined) {
      return isB64Token(token)
        ? { kind: "token", token }
        : { kind: "invalid_request", reason: `cookie ${options.cookie} does not hold a token` };
    }
  }
  return MISSING;
}

/**
 * Where the credentials start after a `Bearer` scheme (any case, RFC 7235 §2.1) and its spaces,
 * or -1. Char codes instead of a regex: this runs on every request.
 */
function bearerPrefixEnd(value: string): number {
  // "bearer " with each letter lower-cased by setting bit 0x20 (only A-Z/a-z map onto a-z).
  if (
    (value.charCodeAt(0) | 0x20) !== 0x62 ||
    (value.charCodeAt(1) | 0x20) !== 0x65 ||
    (value.charCodeAt(2) | 0x20) !== 0x61 ||
    (value.charCodeAt(3) | 0x20) !== 0x72 ||
    (value.charCodeAt(4) | 0x20) !== 0x65 ||
    (value.charCodeAt(5) | 0x20) !== 0x72 ||
    value.charCodeAt(6) !== 0x20
  ) {
    return -1;
  }
  let start = 7;
  while (value.charCodeAt(start) === 0x20) start++;
  return start < value.length ? start : -1;
}

/** Where the token starts in a well-formed `Bearer <b64token>`, or -1 (then classified by the regexes above). */
function bearerTokenStart(value: string): number {
  const start = bearerPrefixEnd(value);
  if (start === -1) return -1;
  B64TOKEN_FROM.lastIndex = start;
  return B64TOKEN_FROM.test(value) ? start : -1;
}

/**
 * The credentials of a single `Bearer ...` Authorization header, NOT checked against the
 * b64token syntax; undefined for anything else. For the middleware's fast path only: it hands
 * them to a verifier that accepts nothing but a compact JWS (base64url and dots, RFC 7515 §7.1,
 * all b64token characters), and runs {@link extractBearer} to classify the request if the
 * verifier refuses them — so a request is answered exactly as with extractBearer first, without
 * scanning every accepted token twice.
 */
export function unverifiedBearer(source: BearerSource): string | undefined {
  const value = source.authorization;
  if (typeof value !== "string") return undefined; // absent, or every value of several headers
  const start = bearerPrefixEnd(value);
  return start === -1 ? undefined : value.slice(start);
}
