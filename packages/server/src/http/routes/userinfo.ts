import type { FastifyInstance } from "fastify";
import { claimsOf, requireAccessToken } from "../bearer.js";
import type { RouteDeps } from "./route-deps.js";
import { errorResponse } from "./schemas.js";

/** The path of the userinfo endpoint (published in the discovery documents). */
export const USERINFO_PATH = "/userinfo";

/** GET /userinfo (Bearer) → {sub, email, roles} (OpenID Connect Core §5.3). */
export function registerUserinfoRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.get(
    USERINFO_PATH,
    {
      preHandler: requireAccessToken((token) => deps.auth.checkAccessToken(token)),
      schema: {
        response: {
          200: {
            type: "object",
            properties: {
              sub: { type: "string" },
              email: { type: "string" },
              roles: { type: "array", items: { type: "string" } },
            },
            required: ["sub", "email", "roles"],
            additionalProperties: false,
          },
          "4xx": errorResponse,
        },
      },
    },
    async function userinfo(request, reply) {
      reply.header("cache-control", "no-store");
      return deps.auth.userInfo(claimsOf(request));
    },
  );
}
