import type { FastifyInstance } from "fastify";
import { sendHttpError } from "./http-errors.js";

/** Seconds a client is asked to wait before retrying a request refused during shutdown. */
const RETRY_AFTER_SECONDS = 1;

/**
 * What clients see while app.close() drains (SIGTERM):
 * - a request that arrives meanwhile (a kept-alive connection, or a new one before the listener
 *   closes) gets 503 `shutting_down` in the usual `{error, error_description}` shape, with
 *   Retry-After — not Fastify's own 503 body, which has neither a stable code nor a description
 *   (the app sets `return503OnClosing: false` so that this hook answers instead);
 * - every answer carries `Connection: close` (RFC 9112 §9.6), so a keep-alive connection whose
 *   request was in flight ends right after its response instead of lingering until Fastify's
 *   keepAliveTimeout (72 s), longer than an orchestrator waits after SIGTERM.
 * Requests already running are not touched: drainHandlersOnClose waits for them.
 */
export function refuseNewRequestsOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (!closing) return;
    reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    return sendHttpError(reply, "shutting_down");
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
}
