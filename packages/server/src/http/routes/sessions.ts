import type { FastifyInstance } from "fastify";
import { claimsOf, requireAccessToken } from "../bearer.js";
import type { RouteDeps } from "./route-deps.js";
import { errorResponse } from "./schemas.js";

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
export function registerSessionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const preHandler = requireAccessToken((token) => deps.auth.checkAccessToken(token));
  app.get(
    "/auth/sessions",
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
      const sessions = await deps.auth.listSessions(claimsOf(request));
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
    "/auth/sessions/:id",
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
      await deps.auth.endSession(claimsOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
