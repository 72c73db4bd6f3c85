/** Where the token was found, or why none could be taken from the request. */
export type BearerExtraction =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "missing" }
  | { readonly kind: "invalid_request"; readonly reason: string };

export interface BearerSource {
  /** Every Authorization header value of the request (more than one is an error). */
  authorization: readonly string[] | undefined;
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
const SCHEME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+(?: |$)/;

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
    if (headers.length > 1) return { kind: "invalid_request", reason: "several Authorization headers" };
    const value = headers[0] as string;
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
      return B64TOKEN.test(token)
        ? { kind: "token", token }
        : { kind: "invalid_request", reason: `cookie ${options.cookie} does not hold a token` };
    }
  }
  return MISSING;
}

/** The value of one cookie (RFC 6265 §5.4 cookie-string), undefined if absent. */
export function readCookie(header: string, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    // Two cookies of the same name (e.g. set for two paths) are ambiguous: take neither.
    if (found !== undefined) return "";
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found = value;
  }
  return found;
}
