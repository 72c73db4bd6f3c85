import type { FastifyInstance } from "fastify";

/**
 * Headers every answer carries, whatever the route (OWASP Secure Headers, HTTP Headers Cheat
 * Sheet):
 * - `X-Content-Type-Options: nosniff` — a browser never reinterprets a JSON answer as HTML;
 * - `Referrer-Policy: no-referrer` — no URL of this server leaks to another site;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` and
 *   `X-Frame-Options: DENY` — nothing the API answers may run, load anything, or be framed
 *   (clickjacking); a page sets a policy of its own for what it needs;
 * - `Cache-Control: no-store` unless the route chose otherwise (the JWKS and the metadata are
 *   public and cacheable): tokens and user data must never sit in a shared cache (RFC 6749 §5.1).
 */
export function sendSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async function securityHeaders(_request, reply, payload) {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    if (!reply.hasHeader("content-security-policy")) {
      reply.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    }
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
}

/** The same headers for an answer written on the raw socket (the revocation feed's stream). */
export const RAW_SECURITY_HEADERS = Object.freeze({
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
});
