import type { FastifyInstance } from "fastify";
import { logout, logoutAll } from "../../auth/logout.js";
import { claimsOf, requireAccessToken } from "../../http/bearer.js";
import { errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/logout (Bearer) → 204: ends this token's session; idempotent.
 * POST /auth/logout-all (Bearer) → 204: ends every session of the user.
 * Both take effect at once: the revocation rows are committed before the answer.
 */
export function registerLogoutRoutes(app: FastifyInstance, routes: AuthRoutes): void {
  const preHandler = requireAccessToken(routes.checkAccessToken);
  // Logout is idempotent: a token whose session has already ended (a retry after a lost answer)
  // still gets 204; its signature, issuer, audience and expiry are checked as always.
  const logoutPreHandler = requireAccessToken(routes.checkAccessToken, { allowRevoked: true });
  const schema = { response: { "4xx": errorResponse } };
  app.post(PATHS.logout, { preHandler: logoutPreHandler, schema }, async function logoutSession(request, reply) {
    await logout(routes.context, claimsOf(request));
    return reply.code(204).send();
  });
  app.post(PATHS.logoutAll, { preHandler, schema }, async function logoutEverywhere(request, reply) {
    await logoutAll(routes.context, claimsOf(request));
    return reply.code(204).send();
  });
}
