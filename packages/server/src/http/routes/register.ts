import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "./route-deps.js";
import { credentialsBody, errorResponse } from "./schemas.js";

/** POST /auth/register {email, password} → 201 {id, email}; 409 taken; 400 weak password (naming the rule). */
export function registerRegisterRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: { email: string; password: string } }>(
    "/auth/register",
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
      const user = await deps.auth.register(request.body);
      return reply.code(201).send(user);
    },
  );
}
