import type { FastifyInstance } from "fastify";
import { NO_STORE, type RouteDeps, tokenPairBody } from "./route-deps.js";
import { credentialsBody, errorResponse, tokenPairResponse } from "./schemas.js";

/** The client_id of sessions started through /auth/login (the server's own first-party API). */
export const FIRST_PARTY_CLIENT_ID = "first-party";

/**
 * POST /auth/login {email, password} → 200 token pair; 401 invalid_grant (the same for an unknown
 * email and a wrong password); 429 + Retry-After (back-off); 503 + Retry-After (hash queue full).
 */
export function registerLoginRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: { email: string; password: string } }>(
    "/auth/login",
    {
      schema: {
        body: credentialsBody,
        response: { 200: tokenPairResponse, "4xx": errorResponse, "5xx": errorResponse },
      },
    },
    async function loginWithPassword(request, reply) {
      const pair = await deps.auth.login({
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
