import type { FastifyInstance } from "fastify";
import { listSessions } from "../../auth/list-sessions.js";
import { endOwnSession } from "../../auth/logout.js";
import { claimsOf, requireAccessToken } from "../../http/bearer.js";
import { errorResponse } from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

const sessionView = {
  type: "object",
  properties: {
    id: { type: "string" },
    created_at: { type: "string", format: "date-time" },
    last_used_at: { type: "string", format: "date-time" },
    expires_at: { type: "string", format: "date-time" },
    user_agent: { type: ["string", "null"] },
    ip: { type: ["string", "null"] },
    current: { type: "boolean" },
  },
  required: ["id", "created_at", "last_used_at", "expires_at", "user_agent", "ip", "current"],
  additionalProperties: false,
} as const;

/**
 * GET /auth/sessions (Bearer) → {sessions: [...]}: the user's live sessions.
 * DELETE /auth/sessions/{id} (Bearer) → 204: ends one of them (404 for an unknown or foreign id).
 */
export function registerSessionRoutes(app: FastifyInstance, routes: AuthRoutes): void {
  const preHandler = requireAccessToken(routes.checkAccessToken);
  app.get(
    PATHS.sessions,
    {
      preHandler,
      schema: {
        response: {
          200: {
            type: "object",
            properties: { sessions: { type: "array", items: sessionView } },
            required: ["sessions"],
            additionalProperties: false,
          },
          "4xx": errorResponse,
        },
      },
    },
    async function listUserSessions(request) {
      const sessions = await listSessions(routes.context, claimsOf(request));
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          created_at: s.createdAt.toISOString(),
          last_used_at: s.lastUsedAt.toISOString(),
          expires_at: s.expiresAt.toISOString(),
          user_agent: s.userAgent,
          ip: s.ip,
          current: s.current,
        })),
      };
    },
  );
  app.delete<{ Params: { id: string } }>(
    `${PATHS.sessions}/:id`,
    {
      preHandler,
      schema: {
        params: {
          type: "object",
          properties: { id: { type: "string", minLength: 1, maxLength: 64 } },
          required: ["id"],
          additionalProperties: false,
        },
        response: { "4xx": errorResponse },
      },
    },
    async function endUserSession(request, reply) {
      await endOwnSession(routes.context, claimsOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
