import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseBearer } from "../bearer.js";
import { HTTP_ERRORS, sendHttpError } from "../http-errors.js";
import type { RouteDeps } from "./route-deps.js";

/** Readiness fails when the database does not answer within this time. */
const READY_TIMEOUT_MS = 2000;

/**
 * GET /healthz → 200 while the process serves requests (liveness).
 * GET /readyz → 200 when the database answers, else 503 (readiness).
 * GET /metrics → Prometheus text format; with `metricsToken` (SIGIL_METRICS_TOKEN) only for
 * `Authorization: Bearer <token>`, else 401.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: RouteDeps & { metricsToken?: string }): void {
  const scraperAllowed = metricsGate(deps.metricsToken);
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
      const { status, error: code, description } = HTTP_ERRORS.not_ready;
      return reply.code(status).send({ error: code, error_description: description, database: deps.db.kind });
    } finally {
      clearTimeout(timer);
    }
  });
  app.get("/metrics", async function metrics(request, reply) {
    if (!scraperAllowed(request)) return refuseScraper(request, reply);
    reply.header("content-type", deps.metrics.contentType);
    return deps.metrics.render();
  });
}

/**
 * Whether a request may read /metrics. Without a token, anyone may (the operator keeps the port
 * internal). With one, the Bearer credentials must equal it; both sides are hashed first so the
 * constant-time comparison never sees two lengths and the token's length does not leak either.
 */
function metricsGate(token: string | undefined): (request: FastifyRequest) => boolean {
  if (token === undefined) return () => true;
  const expected = sha256(token);
  return (request) => {
    const presented = parseBearer(request.headers.authorization);
    return presented !== null && presented !== "malformed" && timingSafeEqual(sha256(presented), expected);
  };
}

function refuseScraper(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // The operator learns why from the log; the caller only that a token is needed (RFC 6750 §3).
  request.log.warn(
    { presented: request.headers.authorization !== undefined },
    "GET /metrics refused: the Bearer token is missing or is not SIGIL_METRICS_TOKEN",
  );
  reply.header("www-authenticate", 'Bearer realm="sigil-metrics"').header("cache-control", "no-store");
  return sendHttpError(reply, "metrics_token_required");
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
