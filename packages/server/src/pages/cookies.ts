import type { CookieSerializeOptions } from "@fastify/cookie";
import type { ServerConfig } from "../config/config.js";

/**
 * The hosted pages' cookies and their attributes, decided in one place. Over https every cookie
 * is `Secure` and named with the `__Host-` prefix (RFC 6265bis §4.1.3.2: the browser then
 * refuses it unless it is Secure, host-only and Path=/, so neither a sibling subdomain nor plain
 * http can plant or overwrite it). A plain-http issuer is only allowed on loopback in development
 * (config/issuer.ts): there the cookies go without Secure and without the prefix, which browsers
 * would refuse.
 */
export interface PageCookies {
  /** The browser session: `<session id>.<secret>`, HttpOnly, SameSite=Lax. */
  readonly session: string;
  /** The CSRF secret of @fastify/csrf-protection. */
  readonly csrf: string;
  /** The device credential of the last sign-in (abuse/device-credential.ts). */
  readonly device: string;
  /** Attributes shared by all three (each adds its lifetime). */
  readonly attributes: CookieSerializeOptions;
}

export function pageCookies(config: Pick<ServerConfig, "issuer">): PageCookies {
  const secure = new URL(config.issuer).protocol === "https:";
  const prefix = secure ? "__Host-" : "";
  return {
    session: `${prefix}sigil_session`,
    csrf: `${prefix}sigil_csrf`,
    device: `${prefix}sigil_device`,
    // Lax, not Strict: a link from a mail or another site to the account page arrives signed in,
    // while a cross-site POST (the CSRF case) carries no cookie; the forms also need the token.
    attributes: { path: "/", httpOnly: true, secure, sameSite: "lax" },
  };
}

/** A device credential is kept a year: it only moves sign-in throttling to this browser. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 86_400;
