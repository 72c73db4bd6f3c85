import type { FastifyInstance, preHandlerHookHandler, RouteHandlerMethod } from "fastify";

/**
 * How long close() waits for route handlers still running. A login waits at most for the hash
 * queue ahead of it (bounded: SIGIL_HASH_QUEUE_LIMIT jobs of a few ms); far above that, a handler
 * still running is stuck, and shutdown must not hang on it past an orchestrator's grace period.
 */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Graceful shutdown waits for route handlers, not only for sockets. Node's server.close() (step 4
 * of Fastify's close) waits for open requests, but a request whose client hung up is no longer
 * open while its handler goes on: a login still waiting for its password hash, then writing its
 * session. Without this, close() would resolve under it, the hasher and the database would close,
 * and the handler would fail half-way ("the password hasher is closed"). Here every route handler
 * is counted until its promise settles — and so is each route-level preHandler (the Bearer check,
 * which reads the database) — and Fastify's preClose (new requests already get 503) waits until
 * none is left. Call before any route is added: onRoute sees only later routes.
 */
export function drainHandlersOnClose(app: FastifyInstance, options: { timeoutMs?: number } = {}): void {
  const handlers = new InFlightHandlers();
  app.addHook("onRoute", (route) => {
    const handler = route.handler;
    route.handler = function trackedHandler(this: FastifyInstance, request, reply) {
      return handlers.track(handler.call(this, request, reply));
    } as RouteHandlerMethod;
    const preHandler = route.preHandler;
    if (preHandler !== undefined) {
      const track = (hook: preHandlerHookHandler): preHandlerHookHandler =>
        // Passes `done` on and returns what the hook returns: Fastify still sees an async hook
        // as async and a callback hook as one.
        function trackedPreHandler(this: FastifyInstance, request, reply, done) {
          return handlers.track(hook.call(this, request, reply, done));
        } as preHandlerHookHandler;
      route.preHandler = Array.isArray(preHandler) ? preHandler.map(track) : track(preHandler as preHandlerHookHandler);
    }
  });
  app.addHook("preClose", async () => {
    const left = await handlers.drain(options.timeoutMs ?? DRAIN_TIMEOUT_MS);
    if (left > 0) app.log.error({ handlers: left }, "shutdown went on with route handlers still running");
  });
}

/** A count of pending promises and a way to wait until it is zero. */
export class InFlightHandlers {
  #pending = 0;
  #whenIdle: (() => void)[] = [];

  get pending(): number {
    return this.#pending;
  }

  /** Counts `result` until it settles when it is a promise; returns it unchanged either way. */
  track<T>(result: T): T {
    if (!isThenable(result)) return result;
    this.#pending++;
    const settled = (): void => {
      this.#pending--;
      if (this.#pending === 0) for (const wake of this.#whenIdle.splice(0)) wake();
    };
    // Handled here only for the count: the caller (Fastify) gets `result` itself and handles it.
    result.then(settled, settled);
    return result;
  }

  /** Resolves with 0 once nothing is pending, or with what is still pending after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.#pending === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#whenIdle.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return this.#pending;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
