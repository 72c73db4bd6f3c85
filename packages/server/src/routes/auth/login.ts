import type { FastifyInstance } from "fastify";
import { login } from "../../auth/login.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { wantsCookieMode } from "../../http/cookie-mode.js";
import { setRefreshCookie } from "../../http/refresh-cookie.js";
import { errorResponse, loginBody, loginResponse } from "../../http/schemas.js";
import { firstPartyTokenBody, NO_STORE } from "../../http/token-response.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/login {email, password, device_token?} → 200 token pair and a `device_token` to send
 * at the next sign-in (a known device is throttled on its own counter, so an attacker's failures
 * cannot lock it out); 401 invalid_grant (the same for an unknown email and a wrong password);
 * 429 + Retry-After (back-off); 503 + Retry-After (hash queue full).
 *
 * Cookie mode (`Sigil-Refresh-Cookie: 1` from an allowed Origin): the refresh token is set as the
 * HttpOnly refresh cookie and left out of the body; 403 origin_not_allowed from any other Origin,
 * before the password is even looked at.
 */
export function registerLoginRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { email: string; password: string; device_token?: string } }>(
    PATHS.login,
    {
      schema: {
        body: loginBody,
        response: { 200: loginResponse, "4xx": errorResponse, "5xx": errorResponse },
      },
    },
    async function loginWithPassword(request, reply) {
      const cookieMode = wantsCookieMode(request, routes.cookieMode);
      const pair = await login(routes.context, {
        email: request.body.email,
        password: request.body.password,
        clientId: FIRST_PARTY_CLIENT_ID,
        userAgent: request.headers["user-agent"] ?? null,
        ip: request.ip,
        deviceCredential: request.body.device_token,
      });
      if (cookieMode) setRefreshCookie(reply, routes.cookieMode.cookie, pair);
      const tokens = firstPartyTokenBody(pair, cookieMode ? "cookie" : "body");
      return reply.headers(NO_STORE).send({ ...tokens, device_token: pair.deviceCredential });
    },
  );
}
