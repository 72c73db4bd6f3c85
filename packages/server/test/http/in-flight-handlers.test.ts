import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { drainHandlersOnClose, InFlightHandlers } from "../../src/http/in-flight-handlers.js";
import { settle } from "../../src/testing/index.js";

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Work that a route parks until the test releases it: `entered` settles when the route reaches it,
 * `events` records what finished, in order.
 */
function parkedWork(): {
  run: (event: string) => Promise<void>;
  entered: Promise<void>;
  release: () => void;
  events: string[];
} {
  const release = deferred();
  const events: string[] = [];
  let reached!: () => void;
  const entered = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const run = async (event: string): Promise<void> => {
    reached();
    await release.promise;
    events.push(event);
  };
  return { run, entered, release: release.resolve, events };
}

/** Sends a request, hangs up once the server is working on it, and waits until the server's socket has closed. */
async function hangUpDuring(app: FastifyInstance, method: string, path: string, work: Promise<void>): Promise<void> {
  const { port } = app.server.address() as { port: number };
  const socketClosed = new Promise<void>((resolve) => {
    app.server.once("connection", (socket) => socket.once("close", () => resolve()));
  });
  const abandoned = request({ host: "127.0.0.1", port, method, path, agent: false });
  abandoned.on("error", () => {});
  abandoned.end();
  await work;
  abandoned.destroy();
  // From here no open request holds server.close() back: only the drain can.
  await socketClosed;
}

/**
 * Starts app.close() and checks that it has begun (a new request is refused with 503: the server
 * still listens, held in preClose) but not resolved; `closed` settles when it is done.
 */
async function closeHeldBack(app: FastifyInstance, events: string[]): Promise<{ closed: Promise<number> }> {
  const closed = app.close().then(() => events.push("close resolved"));
  const { port } = app.server.address() as { port: number };
  const late = await fetch(`http://127.0.0.1:${port}/fast`);
  assert.equal(late.status, 503);
  await late.arrayBuffer();
  await settle();
  assert.deepEqual(events, [], "close() must not resolve while a handler or preHandler runs");
  return { closed };
}

test("InFlightHandlers: counts promises until they settle, either way; other values pass through uncounted", async () => {
  const handlers = new InFlightHandlers();
  const ok = deferred();
  const failing = deferred();
  assert.equal(handlers.track(42), 42);
  assert.equal(handlers.track(ok.promise), ok.promise);
  const tracked = handlers.track(failing.promise);
  assert.equal(handlers.pending, 2);

  const drained = handlers.drain(5_000);
  ok.resolve();
  failing.reject(new Error("the handler failed"));
  // The caller still sees the rejection: tracking does not swallow it.
  await assert.rejects(tracked, /the handler failed/);
  assert.equal(await drained, 0);
  assert.equal(handlers.pending, 0);
  assert.equal(await handlers.drain(5_000), 0, "nothing pending: at once");
});

test("InFlightHandlers: drain gives up after its timeout and says how many are left", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const handlers = new InFlightHandlers();
  handlers.track(new Promise(() => {}));
  let left: number | undefined;
  const drained = handlers.drain(50).then((count) => {
    left = count;
  });
  t.mock.timers.tick(49);
  await Promise.resolve();
  assert.equal(left, undefined, "still waiting before the timeout");
  t.mock.timers.tick(1);
  await drained;
  assert.equal(left, 1);
});

test("drainHandlersOnClose: close() waits for a handler whose client hung up, and new requests get 503", async () => {
  const app = Fastify({ logger: false });
  drainHandlersOnClose(app);
  const work = parkedWork();
  app.post("/slow", async () => {
    await work.run("handler finished");
    return { ok: true };
  });
  app.get("/fast", async () => ({ ok: true }));
  await app.listen({ host: "127.0.0.1", port: 0 });

  await hangUpDuring(app, "POST", "/slow", work.entered);
  // Still listening while it waits (preClose), but refusing new work: closeHeldBack checks both.
  const { closed } = await closeHeldBack(app, work.events);

  work.release();
  await closed;
  assert.deepEqual(work.events, ["handler finished", "close resolved"]);
});

test("drainHandlersOnClose: a route-level preHandler still running also holds close() back", async () => {
  const app = Fastify({ logger: false });
  drainHandlersOnClose(app);
  const work = parkedWork();
  app.get(
    "/checked",
    {
      preHandler: [
        () => work.run("preHandler finished"),
        // A callback-style hook keeps working through the wrapper.
        (_request, _reply, done) => {
          work.events.push("callback hook ran");
          done();
        },
      ],
    },
    async () => ({ ok: true }),
  );
  app.get("/fast", async () => ({ ok: true }));
  await app.listen({ host: "127.0.0.1", port: 0 });

  await hangUpDuring(app, "GET", "/checked", work.entered);
  const { closed } = await closeHeldBack(app, work.events);
  work.release();
  await closed;
  assert.equal(work.events[0], "preHandler finished");
  assert.equal(work.events.at(-1), "close resolved");
});

test("drainHandlersOnClose: callback-style preHandlers and handlers answer as before", async () => {
  const app = Fastify({ logger: false });
  drainHandlersOnClose(app);
  app.get(
    "/callback",
    {
      preHandler: (request, _reply, done) => {
        (request as { seen?: boolean }).seen = true;
        done();
      },
    },
    (request, reply) => {
      reply.send({ seen: (request as { seen?: boolean }).seen === true });
    },
  );
  try {
    const response = await app.inject({ method: "GET", url: "/callback" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { seen: true });
  } finally {
    await app.close();
  }
});
