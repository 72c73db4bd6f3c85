import type { FastifyInstance } from "fastify";
import { login } from "../../auth/login.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { errorResponse, loginBody, loginResponse } from "../../http/schemas.js";
import { NO_STORE, tokenPairBody } from "../../http/token-response.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/login {email, password, device_token?} → 200 token pair and a `device_token` to send
 * at the next sign-in (a known device is throttled on its own counter, so an attacker's failures
 * cannot lock it out); 401 invalid_grant (the same for an unknown email and a wrong password);
 * 429 + Retry-After (back-off); 503 + Retry-After (hash queue full).
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
      const pair = await login(routes.context, {
        email: request.body.email,
        password: request.body.password,
        clientId: FIRST_PARTY_CLIENT_ID,
        userAgent: request.headers["user-agent"] ?? null,
        ip: request.ip,
        deviceCredential: request.body.device_token,
      });
      return reply.headers(NO_STORE).send({ ...tokenPairBody(pair), device_token: pair.deviceCredential });
    },
  );
}
