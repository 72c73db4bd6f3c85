import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthError } from "../../auth/auth-error.js";
import { logout, logoutAll, logoutOthers } from "../../auth/logout.js";
import { revokeRefreshToken } from "../../auth/revoke-refresh-token.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { bearerTokenOf, claimsOf, requireAccessToken } from "../../http/bearer.js";
import { refuseCookieWithoutHeader, wantsCookieMode } from "../../http/cookie-mode.js";
import { clearRefreshCookie, refreshCookieOf } from "../../http/refresh-cookie.js";
import { errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/logout → 204: ends a session, idempotently, identified by either
 * - the access token (`Authorization: Bearer`): its session; or
 * - the refresh token (`{"refresh_token": …}`, no Authorization): its session, when it is a
 *   first-party one — so an app whose access token has expired can still sign out without
 *   refreshing first. An unknown, foreign or already-ended refresh token is answered 204 too (no
 *   oracle for tokens); the log says why nothing happened; or
 * - in cookie mode (`Sigil-Refresh-Cookie: 1` from an allowed Origin, body `{}`): the refresh
 *   cookie's session (or the Bearer token's, when one is sent), and the cookie is cleared. 204
 *   also without a cookie: there is nothing left to end. The cookie without the header, and no
 *   other credential, is refused (CSRF: a cross-site form must not sign the user out).
 * POST /auth/logout-all (Bearer) → 204: ends every session of the user.
 * POST /auth/logout-others (Bearer) → 204: ends every session of the user but the caller's.
 * Both take effect at once: the revocation rows are committed before the answer.
 */
export function registerLogoutRoutes(app: FastifyInstance, routes: AuthRoutes): void {
  const preHandler = requireAccessToken(routes.checkAccessToken);
  // Logout is idempotent: a token whose session has already ended (a retry after a lost answer)
  // still gets 204; its signature, issuer, audience and expiry are checked as always.
  const bearerLogout = requireAccessToken(routes.checkAccessToken, { allowRevoked: true });
  const schema = { response: { "4xx": errorResponse } };
  app.post<{ Body: { refresh_token?: string } | undefined }>(
    PATHS.logout,
    {
      schema: {
        body: {
          type: ["object", "null"],
          properties: { refresh_token: { type: "string", minLength: 1, maxLength: 512 } },
          additionalProperties: false,
        },
        ...schema,
      },
    },
    async function logoutSession(request, reply) {
      if (wantsCookieMode(request, routes.cookieMode)) return logoutWithCookie(request, reply);
      if (bearerTokenOf(request) === null && request.body?.refresh_token === undefined) {
        refuseCookieWithoutHeader(request, routes.cookieMode);
      }
      if (bearerTokenOf(request) !== null || request.body?.refresh_token === undefined) {
        await bearerLogout(request, reply);
        await logout(routes.context, claimsOf(request));
        return reply.code(204).send();
      }
      return logoutWithRefreshToken(request, reply, request.body.refresh_token);
    },
  );
  app.post(PATHS.logoutAll, { preHandler, schema }, async function logoutEverywhere(request, reply) {
    await logoutAll(routes.context, claimsOf(request));
    return reply.code(204).send();
  });

  app.post(PATHS.logoutOthers, { preHandler, schema }, async function logoutElsewhere(request, reply) {
    await logoutOthers(routes.context, claimsOf(request));
    return reply.code(204).send();
  });

  async function logoutWithCookie(
    request: FastifyRequest<{ Body: { refresh_token?: string } | undefined }>,
    reply: FastifyReply,
  ) {
    if (request.body?.refresh_token !== undefined) throw new AuthError("cookie_mode_conflict");
    const { cookie } = routes.cookieMode;
    const token = refreshCookieOf(request, cookie);
    // Cleared whatever happens next: after a logout the browser holds no refresh token.
    clearRefreshCookie(reply, cookie);
    if (bearerTokenOf(request) !== null) {
      await bearerLogout(request, reply);
      await logout(routes.context, claimsOf(request));
    }
    if (token !== undefined) return logoutWithRefreshToken(request, reply, token);
    return reply.code(204).send();
  }

  async function logoutWithRefreshToken(request: FastifyRequest, reply: FastifyReply, token: string) {
    const outcome = await revokeRefreshToken(routes.context, token, {
      clientId: FIRST_PARTY_CLIENT_ID,
      reason: "logout",
    });
    if (outcome !== "revoked") request.log.info({ outcome }, "logout by refresh token did nothing (answered 204)");
    return reply.code(204).send();
  }
}
