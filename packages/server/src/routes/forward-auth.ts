import { isB64Token, readCookie } from "@sigil/protocol";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { createAccessTokenCheck } from "../auth/access-token.js";
import { AuthError } from "../auth/auth-error.js";
import { bearerTokenOf } from "../http/bearer.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface ForwardAuthRoutesOptions {
  context: Pick<ServerContext, "config" | "keys" | "db" | "metrics" | "revocations" | "logger" | "now">;
}

/**
 * GET /auth/verify (and /auth/verify/*, for Envoy's path_prefix) — forward authentication for
 * gateways: nginx `auth_request`, Traefik ForwardAuth, Envoy ext_authz (HTTP service).
 *
 * 200 with `X-Auth-Subject`, `X-Auth-Scope` (space-delimited, RFC 6749 §3.3), `X-Auth-Roles`
 * (comma-separated, RFC 9110 §5.6.1), `X-Auth-Session`, `X-Auth-Client` — all five always sent,
 * empty when absent, so a gateway copying them overwrites anything a client forged. Otherwise 401
 * with `WWW-Authenticate: Bearer error="invalid_token"`, or a bare `Bearer` challenge when no
 * token was sent (RFC 6750 §3.1); the reason goes to the log only.
 *
 * The token is checked by the server's one access-token check (auth/access-token.ts) — the same
 * profile as every other endpoint — but revocation is looked up in the feed hub's memory, not the
 * database: no I/O per request. That memory trails a commit by the NOTIFY latency (milliseconds;
 * at most the 1 s poll if LISTEN is down), the same bound every verifier on the feed lives with.
 * When the hub has not read the database recently, the check falls back to the database, so a
 * stale mirror never accepts a token.
 *
 * The access token is also read from the cookie named by SIGIL_FORWARD_AUTH_COOKIE when the
 * request has no Authorization header.
 */
export const forwardAuthRoutes: FastifyPluginAsync<ForwardAuthRoutesOptions> = async function forwardAuthRoutes(
  app,
  { context },
) {
  const check = createAccessTokenCheck(context, { revocations: "memory" });
  const cookieName = context.config.forwardAuthCookie;
  const handler = async function forwardAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const token = readToken(request, cookieName);
    if (token === null) throw new AuthError("missing_token");
    if (token === "malformed") throw new AuthError("invalid_token", { internalReason: "MALFORMED_AUTHORIZATION" });
    const claims = await check(token);
    return reply
      .code(200)
      .header("cache-control", "no-store")
      .header("x-auth-subject", headerValue(claims.sub))
      .header("x-auth-scope", headerValue(claims.scope ?? ""))
      .header("x-auth-roles", claims.roles.map(listMember).join(","))
      .header("x-auth-session", headerValue(claims.sid ?? ""))
      .header("x-auth-client", headerValue(claims.clientId))
      .send();
  };
  app.route({ method: ["GET", "HEAD"], url: PATHS.forwardAuth, handler });
  app.route({ method: ["GET", "HEAD"], url: `${PATHS.forwardAuth}/*`, handler });
};

function readToken(request: FastifyRequest, cookieName: string | undefined): string | null | "malformed" {
  const fromHeader = bearerTokenOf(request);
  if (fromHeader !== null || cookieName === undefined) return fromHeader;
  const cookie = readCookie(request.headers.cookie, cookieName);
  if (cookie === undefined) return null;
  return isB64Token(cookie) ? cookie : "malformed";
}

// Header values must be visible ASCII (RFC 9110 §5.5); our ids and scopes are, but a role name
// from an import could hold anything: percent-encode rather than let the header break.
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

function listMember(role: string): string {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(role) ? role : encodeURIComponent(role);
}
