import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthError, isAuthError } from "../../auth/auth-error.js";
import { refresh } from "../../auth/refresh.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { refuseCookieWithoutHeader, wantsCookieMode } from "../../http/cookie-mode.js";
import { sendHttpError } from "../../http/http-errors.js";
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie } from "../../http/refresh-cookie.js";
import { errorResponse, firstPartyTokenResponse } from "../../http/schemas.js";
import { firstPartyTokenBody, NO_STORE } from "../../http/token-response.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/refresh {refresh_token} → 200 a new pair. Refusals are 401 invalid_grant whose
 * error_description starts with refresh_token_reused, session_revoked, session_expired,
 * unknown_token or wrong_client (a token another client obtained), so a client can tell "log in
 * again" from "retry".
 *
 * Cookie mode (`Sigil-Refresh-Cookie: 1` from an allowed Origin, body `{}`): the token is the
 * refresh cookie's, the successor replaces it, and the body has no refresh token. Rotation, the
 * grace window and theft detection are the same operation as in body mode. Every invalid_grant
 * refusal also clears the cookie (the token it holds can no longer work); without a cookie the
 * refusal's keyword is `missing_token`. The cookie without the header is refused (CSRF).
 */
export function registerRefreshRoute(app: FastifyInstance, routes: AuthRoutes): void {
  const { cookie } = routes.cookieMode;
  app.post<{ Body: { refresh_token?: string } }>(
    PATHS.refresh,
    {
      schema: {
        body: {
          type: "object",
          // Required in body mode; checked in the handler, since cookie mode sends {}.
          properties: { refresh_token: { type: "string", minLength: 1, maxLength: 512 } },
          additionalProperties: false,
        },
        response: { 200: firstPartyTokenResponse, "4xx": errorResponse },
      },
    },
    async function refreshTokens(request, reply) {
      if (wantsCookieMode(request, routes.cookieMode)) {
        if (request.body.refresh_token !== undefined) throw new AuthError("cookie_mode_conflict");
        const token = refreshCookieOf(request, cookie);
        if (token === undefined) throw new AuthError("missing_refresh_cookie");
        return refreshWithCookie(request, reply, token);
      }
      if (request.body.refresh_token === undefined) {
        refuseCookieWithoutHeader(request, routes.cookieMode);
        // What the schema would have said, had it required the field.
        return sendHttpError(reply, "invalid_body", { description: 'body is missing the field "refresh_token"' });
      }
      const pair = await refresh(routes.context, inputOf(request, request.body.refresh_token));
      return reply.headers(NO_STORE).send(firstPartyTokenBody(pair, "body"));
    },
  );

  async function refreshWithCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
    try {
      const pair = await refresh(routes.context, inputOf(request, token));
      setRefreshCookie(reply, cookie, pair);
      return reply.headers(NO_STORE).send(firstPartyTokenBody(pair, "cookie"));
    } catch (error) {
      // Reused, revoked, expired, unknown: the cookie's token will never work again.
      if (isAuthError(error) && error.error === "invalid_grant") clearRefreshCookie(reply, cookie);
      throw error;
    }
  }

  function inputOf(request: FastifyRequest, refreshToken: string) {
    return {
      refreshToken,
      // Only sessions started here (/auth/login) refresh here.
      clientId: FIRST_PARTY_CLIENT_ID,
      userAgent: request.headers["user-agent"] ?? null,
      ip: request.ip,
    };
  }
}
