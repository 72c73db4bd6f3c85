import type { FastifyRequest } from "fastify";
import { AuthError } from "../auth/auth-error.js";
import type { ServerConfig } from "../config/config.js";
import { type RefreshCookie, refreshCookie, refreshCookieOf } from "./refresh-cookie.js";

/**
 * The request header by which a browser app asks for cookie mode: the refresh token travels in
 * an HttpOnly cookie (http/refresh-cookie.ts) instead of JSON bodies. @sigil/client sends it.
 *
 * It is also the cookie's CSRF defence. A custom header makes a request "non-simple": another
 * site's page can only send it after a CORS preflight, which this server answers for the listed
 * origins only (http/cors.ts), and an HTML form cannot send it at all. So a request with the
 * refresh cookie but without this header is refused, and one with the header must come from an
 * allowed `Origin` — checked here too, not left to the browser's CORS enforcement alone.
 */
export const COOKIE_MODE_HEADER = "sigil-refresh-cookie";

/** Where login, refresh and logout take the refresh token from and put it. */
export interface CookieMode {
  readonly cookie: RefreshCookie;
  /** The origins whose pages may use cookie mode: SIGIL_WEB_ORIGINS and the server's own. */
  readonly allowedOrigins: ReadonlySet<string>;
}

export function cookieMode(config: Pick<ServerConfig, "issuer" | "webOrigins">): CookieMode {
  return {
    cookie: refreshCookie(config),
    allowedOrigins: new Set([new URL(config.issuer).origin, ...config.webOrigins]),
  };
}

/**
 * Whether this request asks for cookie mode (`Sigil-Refresh-Cookie: 1`); when it does, its
 * `Origin` must be one of the allowed origins, or it is refused with `origin_not_allowed` (a
 * missing Origin too: browsers send one with every cross-origin request and every POST, so its
 * absence means the request did not come from a page).
 */
export function wantsCookieMode(request: FastifyRequest, mode: CookieMode): boolean {
  if (request.headers[COOKIE_MODE_HEADER] !== "1") return false;
  const origin = request.headers.origin;
  if (origin === undefined || !mode.allowedOrigins.has(origin)) {
    throw new AuthError("origin_not_allowed", {
      internalReason: origin === undefined ? "no Origin header" : `Origin ${JSON.stringify(origin.slice(0, 200))}`,
    });
  }
  return true;
}

/**
 * Refuses a request that carries the refresh cookie but did not ask for cookie mode and has no
 * other credential to act on: the browser attached the cookie to a request the app did not make
 * in cookie mode — a form on another site, an `<img>`, a script that cannot set headers.
 */
export function refuseCookieWithoutHeader(request: FastifyRequest, mode: CookieMode): void {
  if (refreshCookieOf(request, mode.cookie) !== undefined) {
    throw new AuthError("refresh_cookie_without_header", {
      internalReason: `Origin ${JSON.stringify((request.headers.origin ?? "none").slice(0, 200))}`,
    });
  }
}
