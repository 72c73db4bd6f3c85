import type { FastifyInstance } from "fastify";
import { claimsOf, requireAccessToken } from "../bearer.js";
import type { RouteDeps } from "./route-deps.js";
import { errorResponse, passwordField } from "./schemas.js";

/**
 * POST /auth/password (Bearer) {current_password, new_password} → 204: changes the password and
 * ends every other session of the user.
 */
export function registerPasswordRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: { current_password: string; new_password: string } }>(
    "/auth/password",
    {
      preHandler: requireAccessToken((token) => deps.auth.checkAccessToken(token)),
      schema: {
        body: {
          type: "object",
          properties: { current_password: passwordField, new_password: passwordField },
          required: ["current_password", "new_password"],
          additionalProperties: false,
        },
        response: { "4xx": errorResponse, "5xx": errorResponse },
      },
    },
    async function changeUserPassword(request, reply) {
      await deps.auth.changePassword(claimsOf(request), {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
