import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type RunningServer, startServer } from "../src/serve.js";
import { createTestDatabase, findPostgresBinaries, stopPostgresAfterTests } from "../src/testing/index.js";
import { startChildServer } from "./support/child-server.js";
import { testConfig } from "./support/test-deps.js";
import { call, GOOD_PASSWORD, uniqueEmail } from "./support/test-server.js";

stopPostgresAfterTests();

describe("startServer", () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "sigil-serve-"));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test("PGlite: one summary line, working endpoints (incl. the OAuth module's), in-flight requests finish on close", async () => {
    const lines: string[] = [];
    const config = testConfig({ port: 0, dataDir });
    const server = await startServer(config, {
      print: (line) => lines.push(line),
      handleSignals: false,
      log: "silent",
    });
    try {
      assert.equal(lines.length, 1);
      const [line] = lines as [string];
      assert.match(line, /^sigil listening on http:\/\/127\.0\.0\.1:\d+ \| /);
      assert.ok(line.includes(`issuer ${config.issuer}`));
      assert.ok(line.includes(`jwks ${config.issuer}/.well-known/jwks.json`));
      assert.ok(line.includes(`database PGlite at ${dataDir}`));
      assert.ok(line.includes("signing EdDSA"));
      for (const warning of config.warnings) assert.ok(line.includes(`WARNING: ${warning}`));

      const email = uniqueEmail();
      assert.equal(
        (await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } })).status,
        201,
      );
      const discovery = await call(server, "GET", "/.well-known/oauth-authorization-server");
      assert.equal(discovery.status, 200);
      const jwks = await call(server, "GET", "/.well-known/jwks.json");
      assert.equal(jwks.body.keys.length >= 1, true);

      // In flight when close() is called: each login still gets its answer.
      const inFlight = Array.from({ length: 4 }, () =>
        call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } }),
      );
      // Close only once every login is inside the server (hashing or waiting for a hash slot):
      // a fixed sleep raced the connections on a loaded machine, and a request not yet received
      // is rightly refused by a closing server.
      await waitForHashWork(server, 4);
      const closing = server.close();
      const responses = await Promise.all(inFlight);
      await closing;
      assert.deepEqual(
        responses.map((r) => r.status),
        [200, 200, 200, 200],
      );
    } finally {
      await server.close();
    }

    // Restart on the same data directory: the account and the signing key survived.
    const again = await startServer(config, { print: () => {}, handleSignals: false, log: "silent" });
    try {
      const login = await call(again, "POST", "/auth/login", {
        json: {
          email: (await again.db.query<{ email: string }>("SELECT email FROM users LIMIT 1")).rows[0]!.email,
          password: GOOD_PASSWORD,
        },
      });
      assert.equal(login.status, 200);
    } finally {
      await again.close();
    }
  });

  test("PostgreSQL: the summary names host:port/database, never credentials", async (t) => {
    if (!findPostgresBinaries() && process.env.CI !== "true") {
      t.skip("no PostgreSQL binaries");
      return;
    }
    const url = await createTestDatabase();
    const withPassword = url.replace("postgres@", "postgres:never-print-me@");
    const lines: string[] = [];
    const server = await startServer(testConfig({ port: 0, databaseUrl: withPassword }), {
      print: (line) => lines.push(line),
      handleSignals: false,
      log: "silent",
    });
    try {
      const { host, port, pathname } = new URL(url);
      assert.ok(lines[0]?.includes(`database PostgreSQL at ${host.split(":")[0]}:${port}${pathname}`), lines[0]);
      assert.ok(!lines[0]?.includes("never-print-me"));
      assert.equal((await call(server, "GET", "/readyz")).body.database, "postgres");
    } finally {
      await server.close();
    }
  });

  test("logins whose clients hung up still finish before close() releases the hasher and the database", async () => {
    const config = testConfig({ port: 0, dataDir: join(dataDir, "abandoned") });
    const logged: { level: number; msg: string }[] = [];
    const options = { print: () => {}, handleSignals: false };
    const server = await startServer(config, {
      ...options,
      log: { write: (line: string) => logged.push(JSON.parse(line)) },
    });
    const email = uniqueEmail();
    // Six logins, each client gone while its login is hashing or queued for a hash slot.
    const clients = Array.from({ length: 6 }, () => new AbortController());
    try {
      assert.equal(
        (await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } })).status,
        201,
      );
      const abandoned = clients.map((client) =>
        fetch(`${server.url}/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password: GOOD_PASSWORD }),
          signal: client.signal,
        }).then(
          (response) => response.arrayBuffer(),
          () => undefined,
        ),
      );
      await waitForHashWork(server, clients.length);
      for (const client of clients) client.abort();
      await Promise.all(abandoned);
      await server.close();
    } finally {
      await server.close();
    }
    assert.deepEqual(
      logged.filter((line) => line.level >= 50),
      [],
      "no handler failed because the hasher or the database closed under it",
    );

    // Each abandoned login ran to its end: its session was written, whole.
    const again = await startServer(config, { ...options, log: "silent" });
    try {
      const sessions = await again.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
        [email],
      );
      assert.equal(sessions.rows[0]?.n, clients.length);
    } finally {
      await again.close();
    }
  });

  test("the summary line, which supervisors wait for, is printed once SIGTERM and SIGINT are handled", async () => {
    const before = { SIGTERM: process.listenerCount("SIGTERM"), SIGINT: process.listenerCount("SIGINT") };
    const atPrint: number[] = [];
    const server = await startServer(testConfig({ port: 0, dataDir: join(dataDir, "ready-line") }), {
      print: () =>
        atPrint.push(
          process.listenerCount("SIGTERM") - before.SIGTERM,
          process.listenerCount("SIGINT") - before.SIGINT,
        ),
      log: "silent",
    });
    await server.close();
    assert.deepEqual(atPrint, [1, 1], "a signal right after the line is the server's to handle, not Node's default");
    assert.deepEqual(
      { SIGTERM: process.listenerCount("SIGTERM"), SIGINT: process.listenerCount("SIGINT") },
      before,
      "close() removes them",
    );
  });

  test("on every interface (SIGIL_HOST=0.0.0.0, as in a container) the summary line says so, not 127.0.0.1", async () => {
    const lines: string[] = [];
    const server = await startServer(
      { ...testConfig({ port: 0, dataDir: join(dataDir, "wildcard") }), host: "0.0.0.0" },
      {
        print: (line) => lines.push(line),
        handleSignals: false,
        log: "silent",
      },
    );
    try {
      const port = new URL(server.url).port;
      assert.match(lines[0] ?? "", new RegExp(`^sigil listening on http://0\\.0\\.0\\.0:${port} \\| `));
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, "server.url is still one to connect to");
    } finally {
      await server.close();
    }
  });

  test("SIGTERM: a real server process finishes in-flight requests and exits 0", async () => {
    const server = await startChildServer({ SIGIL_DATA_DIR: join(dataDir, "child") });
    const { child } = server;
    try {
      const email = uniqueEmail();
      await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
      const inFlight = Array.from({ length: 3 }, () =>
        call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } }),
      );
      // Signalled only once they are inside: a login still on its way when the server stops
      // listening is refused a connection, which is right, and not what this test is about.
      await waitForLoginsOverHTTP(server.url, 3);
      child.kill("SIGTERM");
      const responses = await Promise.all(inFlight);
      assert.deepEqual(
        responses.map((r) => r.status),
        [200, 200, 200],
      );
      assert.equal(await server.exited, 0, server.stderr());
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

/** {@link waitForHashWork} for a server in another process: the same metrics, over HTTP. */
async function waitForLoginsOverHTTP(url: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const read = (series: string): number => Number(new RegExp(`^\\w*${series} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    const inside =
      read("password_hash_active") + read("password_hash_queue_depth") + read('logins_total\\{outcome="success"\\}');
    if (inside >= count) return;
    await sleep(2);
  }
  throw new Error(`the ${count} logins never reached the password hasher`);
}

/**
 * Polls the metrics (in-process, no socket) until `count` logins are inside the server: hashing,
 * queued for a hash slot, or already through (a fast test hash can finish before the last login
 * arrives, so the running and queued gauges alone may never add up to `count`).
 */
async function waitForHashWork(server: RunningServer, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = (await server.app.inject({ method: "GET", url: "/metrics" })).body;
    const read = (series: string): number => Number(new RegExp(`^\\w*${series} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    const inside =
      read("password_hash_active") + read("password_hash_queue_depth") + read('logins_total\\{outcome="success"\\}');
    if (inside >= count) return;
    await sleep(2);
  }
  throw new Error(`the ${count} logins never reached the password hasher`);
}
