import type { FastifyInstance } from "fastify";
import { changePassword } from "../../auth/password.js";
import { claimsOf, requireAccessToken } from "../../http/bearer.js";
import { errorResponse, passwordField } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/password (Bearer) {current_password, new_password} → 204: changes the password and
 * ends every other session of the user.
 */
export function registerPasswordRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { current_password: string; new_password: string } }>(
    PATHS.password,
    {
      preHandler: requireAccessToken(routes.checkAccessToken),
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
      await changePassword(routes.context, claimsOf(request), {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
}
