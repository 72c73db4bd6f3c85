import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "./route-deps.js";

/** Readiness fails when the database does not answer within this time. */
const READY_TIMEOUT_MS = 2000;

/**
 * GET /healthz → 200 while the process serves requests (liveness).
 * GET /readyz → 200 when the database answers, else 503 (readiness).
 * GET /metrics → Prometheus text format.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get("/healthz", async function healthz() {
    return { status: "ok" };
  });
  app.get("/readyz", async function readyz(_request, reply) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.db.query("SELECT 1"),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error("database timeout")), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: "ok", database: deps.db.kind };
    } catch (error) {
      app.log.warn({ err: error }, "readiness check failed");
      return reply
        .code(503)
        .send({ error: "not_ready", error_description: "The database is not reachable.", database: deps.db.kind });
    } finally {
      clearTimeout(timer);
    }
  });
  app.get("/metrics", async function metrics(_request, reply) {
    reply.header("content-type", deps.metrics.contentType);
    return deps.metrics.render();
  });
}
