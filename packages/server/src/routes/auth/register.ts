import type { FastifyInstance } from "fastify";
import { register } from "../../auth/register.js";
import { credentialsBody, errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/** POST /auth/register {email, password} → 201 {id, email}; 409 taken; 400 weak password (naming the rule). */
export function registerRegisterRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.post<{ Body: { email: string; password: string } }>(
    PATHS.register,
    {
      schema: {
        body: credentialsBody,
        response: {
          201: {
            type: "object",
            properties: { id: { type: "string" }, email: { type: "string" } },
            required: ["id", "email"],
            additionalProperties: false,
          },
          "4xx": errorResponse,
        },
      },
    },
    async function registerUser(request, reply) {
      const user = await register(routes.context, { ...request.body, ip: request.ip });
      return reply.code(201).send(user);
    },
  );
}
