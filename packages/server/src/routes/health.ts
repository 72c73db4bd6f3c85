import type { FastifyPluginAsync } from "fastify";
import { HTTP_ERRORS } from "../http/http-errors.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface HealthRoutesOptions {
  context: Pick<ServerContext, "db">;
}

/** Readiness fails when the database does not answer within this time. */
const READY_TIMEOUT_MS = 2000;

/**
 * GET /healthz → 200 while the process serves requests (liveness).
 * GET /readyz → 200 when the database answers, else 503 (readiness).
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async function healthRoutes(app, { context }) {
  app.get(PATHS.healthz, async function healthz() {
    return { status: "ok" };
  });
  app.get(PATHS.readyz, async function readyz(_request, reply) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        context.db.query("SELECT 1"),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error("database timeout")), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: "ok", database: context.db.kind };
    } catch (error) {
      app.log.warn({ err: error }, "readiness check failed");
      const { status, error: code, description } = HTTP_ERRORS.not_ready;
      return reply.code(status).send({ error: code, error_description: description, database: context.db.kind });
    } finally {
      clearTimeout(timer);
    }
  });
};
