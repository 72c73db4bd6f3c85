import type { FastifyInstance } from "fastify";

/**
 * One log line per request, when its answer has been sent: method, path (credentials removed
 * from the query by the request serializer), status and time — instead of Fastify's two
 * ("incoming request", "request completed"). Health probes and scrapes are logged at debug only:
 * they arrive every few seconds and say nothing.
 */
export function logEachRequestOnce(app: FastifyInstance): void {
  app.addHook("onResponse", async function logRequest(request, reply) {
    const quiet = request.url === "/healthz" || request.url === "/readyz" || request.url === "/metrics";
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (quiet) request.log.debug(fields, "request completed");
    else request.log.info(fields, "request completed");
  });
}
