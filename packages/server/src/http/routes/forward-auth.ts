import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AccessTokenClaims, CheckOptions } from "../../auth/access-token.js";
import { AuthError } from "../../auth/auth-error.js";
import { FORWARD_AUTH_PATH } from "../../revocation-feed/paths.js";
import type { TokenIdentity } from "../../revocation-feed/revocation-state.js";
import { parseBearer } from "../bearer.js";

export interface ForwardAuthDeps {
  /** The hub's in-memory revocations (RevocationFeedHub). */
  revocations: { readonly fresh: boolean; isRevoked(token: TokenIdentity): "session" | "user" | null };
  /** The server's own checker (AuthService.checkAccessToken): signature, claims, and — unless allowRevoked — the database. */
  auth: { checkAccessToken(token: string, options?: CheckOptions): Promise<AccessTokenClaims> };
  /** Also read the token from this cookie when there is no Authorization header. */
  cookieName?: string;
  metrics?: { readonly tokenCheckFailuresTotal: { inc(labels: { code: string }): void } };
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
 * The token is checked exactly as the server's own endpoints check it — the same verifier
 * (algorithm allow-list, issuer, audience, `typ: at+jwt`, clock tolerance) — but revocation is
 * looked up in the feed hub's memory, not the database: no I/O per request. That memory trails
 * a commit by the NOTIFY latency (milliseconds; at most the 1 s poll if LISTEN is down), the same
 * bound every verifier on the feed lives with. When the hub has not read the database recently
 * (`fresh` false), the check falls back to the database, so a stale mirror never accepts a token.
 *
 * @example
 * registerForwardAuthRoute(app, { revocations: hub, auth: app.auth, cookieName: "sigil_at" });
 */
export function registerForwardAuthRoute(app: FastifyInstance, deps: ForwardAuthDeps): void {
  const handler = async function forwardAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const token = readToken(request, deps.cookieName);
    if (token === null) throw new AuthError("missing_token");
    if (token === "malformed") throw new AuthError("invalid_token", { internalReason: "MALFORMED_AUTHORIZATION" });
    let claims: AccessTokenClaims;
    if (deps.revocations.fresh) {
      claims = await deps.auth.checkAccessToken(token, { allowRevoked: true });
      const revoked = deps.revocations.isRevoked({ sub: claims.sub, sid: claims.sid, iat: claims.iat });
      if (revoked !== null) {
        deps.metrics?.tokenCheckFailuresTotal.inc({ code: "TOKEN_REVOKED" });
        throw new AuthError("invalid_token", { internalReason: "TOKEN_REVOKED" });
      }
    } else {
      request.log.warn({}, "forward auth: revocation mirror stale, checking the database");
      claims = await deps.auth.checkAccessToken(token);
    }
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
  app.route({ method: ["GET", "HEAD"], url: FORWARD_AUTH_PATH, handler });
  app.route({ method: ["GET", "HEAD"], url: `${FORWARD_AUTH_PATH}/*`, handler });
}

function readToken(request: FastifyRequest, cookieName: string | undefined): string | null | "malformed" {
  const fromHeader = parseBearer(request.headers.authorization);
  if (fromHeader !== null || cookieName === undefined) return fromHeader;
  const cookie = readCookie(request.headers.cookie, cookieName);
  if (cookie === undefined) return null;
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(cookie) ? cookie : "malformed";
}

/** The named cookie of a Cookie header (RFC 6265 §5.4), first occurrence; values are not decoded (JWTs need none). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

// Header values must be visible ASCII (RFC 9110 §5.5); our ids and scopes are, but a role name
// from an import could hold anything: percent-encode rather than let the header break.
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

function listMember(role: string): string {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(role) ? role : encodeURIComponent(role);
}
