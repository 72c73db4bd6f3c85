import type { ServerConfig } from "../config/config.js";

/**
 * The Content-Security-Policy of every hosted page: nothing runs (no script source at all, so an
 * injected script is inert even if escaping ever failed), styles and images come from this
 * server (and the operator's logo), forms post to this server or — since a sign-in ends in a
 * redirect that Chrome checks against form-action — to the web apps a sign-in may return to,
 * and no site may frame the pages (clickjacking).
 */
export function pageContentSecurityPolicy(
  config: Pick<ServerConfig, "webOrigins" | "brand">,
  extraFormActions: readonly string[] = [],
): string {
  const images = ["'self'"];
  if (config.brand.logoUrl !== undefined && !config.brand.logoUrl.startsWith("/")) {
    images.push(new URL(config.brand.logoUrl).origin);
  }
  const formActions = ["'self'", ...new Set([...config.webOrigins, ...extraFormActions])];
  return [
    "default-src 'none'",
    "style-src 'self'",
    `img-src ${images.join(" ")}`,
    `form-action ${formActions.join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}
