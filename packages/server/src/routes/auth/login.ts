import type { FastifyInstance } from "fastify";
import { login } from "../../auth/login.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { credentialsBody, errorResponse, tokenPairResponse } from "../../http/schemas.js";
import { NO_STORE, tokenPairBody } from "../../http/token-response.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/login {email, password} → 200 token pair; 401 invalid_grant (the same for an unknown
 * email and a wrong password); 429 + Retry-After (back-off); 503 + Retry-After (hash queue full).
 */
export function registerLoginRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { email: string; password: string } }>(
    PATHS.login,
    {
      schema: {
        body: credentialsBody,
        response: { 200: tokenPairResponse, "4xx": errorResponse, "5xx": errorResponse },
      },
    },
    async function loginWithPassword(request, reply) {
      const pair = await login(routes.context, {
        email: request.body.email,
        password: request.body.password,
        clientId: FIRST_PARTY_CLIENT_ID,
        userAgent: request.headers["user-agent"] ?? null,
        ip: request.ip,
      });
      return reply.headers(NO_STORE).send(tokenPairBody(pair));
    },
  );
}
