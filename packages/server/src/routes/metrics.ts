import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { bearerTokenOf } from "../http/bearer.js";
import { sendHttpError } from "../http/http-errors.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface MetricsRoutesOptions {
  context: Pick<ServerContext, "config" | "metrics">;
}

/**
 * GET /metrics → Prometheus text format; with `metricsToken` (SIGIL_METRICS_TOKEN) only for
 * `Authorization: Bearer <token>`, else 401. Served on the main listener, or — with
 * SIGIL_METRICS_ADDRESS — only on a listener of its own (an internal interface).
 */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async function metricsRoutes(app, { context }) {
  const scraperAllowed = metricsGate(context.config.metricsToken);
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
