import type { FastifyInstance } from "fastify";
import { userInfo } from "../../auth/user-info.js";
import { claimsOf, requireAccessToken } from "../../http/bearer.js";
import { errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

/** GET /userinfo (Bearer) → {sub, email, email_verified, roles}, as the token's scope allows (OpenID Connect Core §5.3). */
export function registerUserinfoRoute(app: FastifyInstance, routes: AuthRoutes): void {
  app.get(
    PATHS.userinfo,
    {
      preHandler: requireAccessToken(routes.checkAccessToken),
      schema: {
        response: {
          200: {
            type: "object",
            properties: {
              sub: { type: "string" },
              email: { type: "string" },
              email_verified: { type: "boolean" },
              roles: { type: "array", items: { type: "string" } },
            },
            required: ["sub"],
            additionalProperties: false,
          },
          "4xx": errorResponse,
        },
      },
    },
    async function userinfo(request, reply) {
      reply.header("cache-control", "no-store");
      return userInfo(routes.context, claimsOf(request));
    },
  );
}
