import type { FastifyInstance } from "fastify";
import { claimsOf, requireAccessToken } from "../bearer.js";
import type { RouteDeps } from "./route-deps.js";
import { errorResponse } from "./schemas.js";

/**
 * POST /auth/logout (Bearer) → 204: ends this token's session; idempotent.
 * POST /auth/logout-all (Bearer) → 204: ends every session of the user.
 * Both take effect at once: the revocation rows are committed before the answer.
 */
export function registerLogoutRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const preHandler = requireAccessToken((token) => deps.auth.checkAccessToken(token));
  // Logout is idempotent: a token whose session has already ended (a retry after a lost answer)
  // still gets 204; its signature, issuer, audience and expiry are checked as always.
  const logoutPreHandler = requireAccessToken((token) => deps.auth.checkAccessToken(token, { allowRevoked: true }));
  const schema = { response: { "4xx": errorResponse } };
  app.post("/auth/logout", { preHandler: logoutPreHandler, schema }, async function logoutSession(request, reply) {
    await deps.auth.logout(claimsOf(request));
    return reply.code(204).send();
  });
  app.post("/auth/logout-all", { preHandler, schema }, async function logoutEverywhere(request, reply) {
    await deps.auth.logoutAll(claimsOf(request));
    return reply.code(204).send();
  });
}
