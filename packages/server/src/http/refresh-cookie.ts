import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerConfig } from "../config/config.js";

/**
 * The refresh token's cookie in cookie mode (http/cookie-mode.ts), its name and attributes
 * decided in one place:
 *
 * - `HttpOnly`: no script on the page — the app's own or an injected one — can read it.
 * - `Secure` and the `__Secure-` prefix whenever the issuer is https (RFC 6265bis §4.1.3.1: the
 *   browser refuses a `__Secure-` cookie that is not Secure, so plain http can neither read nor
 *   plant it). Not `__Host-`, which the hosted pages' cookies use: that prefix demands `Path=/`,
 *   and this cookie is scoped to a path. A plain-http issuer is allowed on loopback in development
 *   only (config/issuer.ts): there the cookie goes without Secure and without the prefix.
 * - `SameSite=Strict`: a request started by another site carries no cookie at all.
 * - `Path=/auth`: sent to /auth/refresh and /auth/logout, the two endpoints that use it (cookie
 *   paths match by prefix, and /auth is what they share), never to /userinfo, the pages or the
 *   OAuth endpoints. Other /auth/* endpoints receive it and ignore it.
 * - `Max-Age`: the refresh token's own lifetime, set again with each rotation.
 */
export interface RefreshCookie {
  readonly name: string;
  readonly attributes: CookieSerializeOptions;
}

/** The path shared by the endpoints that read the cookie (routes/paths.ts: /auth/refresh, /auth/logout). */
export const REFRESH_COOKIE_PATH = "/auth";

export function refreshCookie(config: Pick<ServerConfig, "issuer">): RefreshCookie {
  const secure = new URL(config.issuer).protocol === "https:";
  return {
    name: secure ? "__Secure-sigil_refresh" : "sigil_refresh",
    attributes: { path: REFRESH_COOKIE_PATH, httpOnly: true, secure, sameSite: "strict" },
  };
}

/** The refresh cookie a request carries, if any (an empty value counts as none). */
export function refreshCookieOf(request: FastifyRequest, cookie: RefreshCookie): string | undefined {
  const value = request.cookies[cookie.name];
  return value === undefined || value === "" ? undefined : value;
}

/** Sets (or, rotated, replaces) the refresh cookie, living as long as the token does. */
export function setRefreshCookie(
  reply: FastifyReply,
  cookie: RefreshCookie,
  token: { refreshToken: string; refreshExpiresIn: number },
): void {
  reply.setCookie(cookie.name, token.refreshToken, { ...cookie.attributes, maxAge: token.refreshExpiresIn });
}

/** Tells the browser to forget the refresh cookie (the session is over, or never was). */
export function clearRefreshCookie(reply: FastifyReply, cookie: RefreshCookie): void {
  reply.clearCookie(cookie.name, cookie.attributes);
}
