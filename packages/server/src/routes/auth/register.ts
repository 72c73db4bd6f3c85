import type { FastifyInstance } from "fastify";
import { register } from "../../auth/register.js";
import { CHECK_YOUR_EMAIL, checkYourEmailResponse, credentialsBody, errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/**
 * POST /auth/register {email, password} → 202 {status: "check_your_email"}, for a new address
 * and a taken one alike (no account enumeration): a new account gets a verification code by
 * mail, the owner of a taken address a notice. 400 weak_password (naming the rule),
 * invalid_email; 429 registrations_limited; 403 registration_disabled.
 */
export function registerRegisterRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { email: string; password: string } }>(
    PATHS.register,
    {
      schema: {
        body: credentialsBody,
        response: {
          202: checkYourEmailResponse,
          "4xx": errorResponse,
          "5xx": errorResponse,
        },
      },
    },
    async function registerUser(request, reply) {
      await register(routes.context, { ...request.body, ip: request.ip });
      return reply.code(202).send(CHECK_YOUR_EMAIL);
    },
  );
}
