// The HTTP layer's own answers (HTTP_ERRORS) from the real app. Among them, what clients see while
// it drains on shutdown: a request that arrives meanwhile gets the catalogue's 503 (stable code,
// description, Retry-After), and the request still in flight is answered normally, with
// Connection: close so its kept-alive connection does not linger.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { after, before, test } from "node:test";
import { HTTP_ERRORS } from "../../src/http/http-errors.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPGlite } from "../../src/store/pglite.js";
import { call, startTestServer } from "../support/test-server.js";

let db: Database;
before(async () => {
  db = await openPGlite("memory");
  await migrate(db);
});
after(() => db.close());

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a kept-alive connection (fetch would hide the Connection header). */
function keptAliveGet(url: string, agent: Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent }, (incoming) => {
      let body = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => {
        body += chunk;
      });
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

test("during a shutdown drain: new requests get 503 shutting_down, the one in flight finishes with Connection: close", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached!: () => void;
  const entered = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const server = await startTestServer(db, { config: { hashConcurrency: 1 } });
  // PGlite is one connection: a transaction held open here parks GET /readyz at its SELECT 1.
  const holding = db.transaction(async () => {
    reached();
    await released;
  });
  let probing!: () => void;
  const readyzWaits = new Promise<void>((resolve) => {
    probing = resolve;
  });
  const query = db.query.bind(db);
  db.query = ((sql: string, params?: readonly unknown[]) => {
    if (sql === "SELECT 1") probing();
    return query(sql, params);
  }) as typeof db.query;
  const agent = new Agent({ keepAlive: true });
  try {
    await entered;
    const inFlight = keptAliveGet(`${server.url}/readyz`, agent);
    await readyzWaits;
    const closed = server.close();
    // close() reaches the app's preClose hooks a few steps later (the key schedule and
    // housekeeping stop first); until then /healthz still answers 200. Ask until it refuses:
    // each answer is a real one, and the drain, held by the request in flight, keeps it refusing.
    let late = await call(server, "GET", "/healthz");
    while (late.status === 200) late = await call(server, "GET", "/healthz");
    assert.equal(late.status, 503);
    assert.deepEqual(late.body, {
      error: HTTP_ERRORS.shutting_down.error,
      error_description: HTTP_ERRORS.shutting_down.description,
    });
    assert.equal(late.headers.get("retry-after"), "1");
    assert.equal(late.headers.get("connection"), "close");

    release();
    const finished = await inFlight;
    assert.equal(finished.status, 200);
    assert.deepEqual(JSON.parse(finished.body), { status: "ok", database: "pglite" });
    assert.equal(finished.headers.connection, "close");
    await closed;
  } finally {
    db.query = query;
    release();
    await holding;
    agent.destroy();
  }
});

test("errors the HTTP layer answers itself use the catalogue's code and description", async () => {
  const server = await startTestServer(db, { config: { hashConcurrency: 1, bodyLimit: 1024 } });
  try {
    const cases: { answer: Awaited<ReturnType<typeof call>>; code: keyof typeof HTTP_ERRORS }[] = [
      { answer: await call(server, "GET", "/no/such/path"), code: "not_found" },
      // Malformed percent-encoding: Fastify's own FST_ERR_BAD_URL, a 400 of no other family.
      { answer: await call(server, "GET", "/auth/%zz"), code: "bad_request" },
      {
        answer: await call(server, "POST", "/auth/login", {
          body: "{not json",
          headers: { "content-type": "application/json" },
        }),
        code: "invalid_json",
      },
      {
        answer: await call(server, "POST", "/auth/login", { body: "x", headers: { "content-type": "text/plain" } }),
        code: "unsupported_media_type",
      },
      {
        answer: await call(server, "POST", "/auth/login", { json: { email: "a@b.c", password: "x".repeat(2048) } }),
        code: "request_too_large",
      },
    ];
    for (const { answer, code } of cases) {
      const entry = HTTP_ERRORS[code];
      assert.equal(answer.status, entry.status, code);
      assert.deepEqual(answer.body, { error: entry.error, error_description: entry.description }, code);
    }
    const invalid = await call(server, "POST", "/auth/login", { json: { email: "a@b.c" } });
    assert.equal(invalid.status, HTTP_ERRORS.invalid_body.status);
    assert.equal(invalid.body.error, HTTP_ERRORS.invalid_body.error);
    assert.match(invalid.body.error_description, /missing the field "password"/);
  } finally {
    await server.close();
  }
});
