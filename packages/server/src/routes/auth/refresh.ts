import type { FastifyInstance } from "fastify";
import { refresh } from "../../auth/refresh.js";
import { FIRST_PARTY_CLIENT_ID } from "../../clients/client.js";
import { errorResponse, tokenPairResponse } from "../../http/schemas.js";
import { NO_STORE, tokenPairBody } from "../../http/token-response.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/refresh {refresh_token} → 200 a new pair. Refusals are 401 invalid_grant whose
 * error_description starts with refresh_token_reused, session_revoked, session_expired,
 * unknown_token or wrong_client (a token another client obtained), so a client can tell "log in
 * again" from "retry".
 */
export function registerRefreshRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { refresh_token: string } }>(
    PATHS.refresh,
    {
      schema: {
        body: {
          type: "object",
          properties: { refresh_token: { type: "string", minLength: 1, maxLength: 512 } },
          required: ["refresh_token"],
          additionalProperties: false,
        },
        response: { 200: tokenPairResponse, "4xx": errorResponse },
      },
    },
    async function refreshTokens(request, reply) {
      const pair = await refresh(routes.context, {
        refreshToken: request.body.refresh_token,
        // Only sessions started here (/auth/login) refresh here.
        clientId: FIRST_PARTY_CLIENT_ID,
        userAgent: request.headers["user-agent"] ?? null,
        ip: request.ip,
      });
      return reply.headers(NO_STORE).send(tokenPairBody(pair));
    },
  );
}
