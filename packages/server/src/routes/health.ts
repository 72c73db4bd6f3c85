import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { bearerTokenOf } from "../http/bearer.js";
import { HTTP_ERRORS, sendHttpError } from "../http/http-errors.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface HealthRoutesOptions {
  context: Pick<ServerContext, "config" | "db" | "metrics">;
}

/** Readiness fails when the database does not answer within this time. */
const READY_TIMEOUT_MS = 2000;

/**
 * GET /healthz → 200 while the process serves requests (liveness).
 * GET /readyz → 200 when the database answers, else 503 (readiness).
 * GET /metrics → Prometheus text format; with `metricsToken` (SIGIL_METRICS_TOKEN) only for
 * `Authorization: Bearer <token>`, else 401.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async function healthRoutes(app, { context }) {
  const scraperAllowed = metricsGate(context.config.metricsToken);
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
  app.get(PATHS.metrics, async function metrics(request, reply) {
    if (!scraperAllowed(request)) return refuseScraper(request, reply);
    reply.header("content-type", context.metrics.contentType);
    return context.metrics.render();
  });
};

/**
 * Whether a request may read /metrics. Without a token, anyone may (the operator keeps the port
 * internal). With one, the Bearer credentials must equal it; both sides are hashed first so the
 * constant-time comparison never sees two lengths and the token's length does not leak either.
 */
function metricsGate(token: string | undefined): (request: FastifyRequest) => boolean {
  if (token === undefined) return () => true;
  const expected = sha256(token);
  return (request) => {
    const presented = bearerTokenOf(request);
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
