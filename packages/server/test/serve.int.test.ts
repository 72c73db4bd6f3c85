import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type RunningServer, startServer } from "../src/serve.js";
import {
  createTestDatabase,
  findPostgresBinaries,
  seedPGliteDataDir,
  stopPostgresAfterTests,
} from "../src/testing/index.js";
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

  // The timeouts below only turn a request that never reaches the hasher into a failure instead of a hang.
  test("PGlite: one summary line, working endpoints (incl. the OAuth module's), in-flight requests finish on close", {
    timeout: 120_000,
  }, async () => {
    const lines: string[] = [];
    const config = testConfig({ port: 0, dataDir });
    await seedPGliteDataDir(dataDir); // a data directory the server has opened before: no initdb here
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
        202,
      );
      const discovery = await call(server, "GET", "/.well-known/oauth-authorization-server");
      assert.equal(discovery.status, 200);
      const jwks = await call(server, "GET", "/.well-known/jwks.json");
      assert.equal(jwks.body.keys.length >= 1, true);

      // In flight when close() is called: each login still gets its answer.
      const inside = loginsReachingTheHasher(server);
      const inFlight = Array.from({ length: 4 }, () =>
        call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } }),
      );
      // Close only once every login is inside the server (hashing or waiting for a hash slot):
      // a request not yet received is rightly refused by a closing server.
      await inside.reached(4);
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

  test("logins whose clients hung up still finish before close() releases the hasher and the database", {
    timeout: 120_000,
  }, async () => {
    const config = testConfig({ port: 0, dataDir: join(dataDir, "abandoned") });
    await seedPGliteDataDir(config.dataDir);
    const logged: { level: number; msg: string }[] = [];
    const options = { print: () => {}, handleSignals: false };
    const server = await startServer(config, {
      ...options,
      log: { write: (line: string) => logged.push(JSON.parse(line)) },
    });
    const email = uniqueEmail();
    // Five logins (an account's allowance of attempts at once), each client gone while its login
    // is hashing or queued for a hash slot.
    const clients = Array.from({ length: 5 }, () => new AbortController());
    const inside = loginsReachingTheHasher(server);
    try {
      assert.equal(
        (await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } })).status,
        202,
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
      await inside.reached(clients.length);
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
    await seedPGliteDataDir(join(dataDir, "ready-line"));
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
    await seedPGliteDataDir(join(dataDir, "wildcard"));
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

  test("SIGTERM: a real server process finishes in-flight requests and exits 0", { timeout: 120_000 }, async () => {
    await seedPGliteDataDir(join(dataDir, "child"));
    const server = await startChildServer({
      SIGIL_DATA_DIR: join(dataDir, "child"),
      SIGIL_TEST_ANNOUNCE_HASHING: "1",
    });
    const { child } = server;
    try {
      const email = uniqueEmail();
      await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
      const inFlight = Array.from({ length: 3 }, () =>
        call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } }),
      );
      // Signal only once the three logins are inside the server: one not yet received is rightly refused.
      await server.printed("hashing", 3);
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

/**
 * Counts the logins that reach the password hasher (hashing, or queued for a hash slot): each
 * is inside the server from then on. `reached(count)` resolves when that many have.
 */
function loginsReachingTheHasher(server: RunningServer): { reached(count: number): Promise<void> } {
  const hasher = server.context.hasher as { verify: typeof server.context.hasher.verify };
  const verify = hasher.verify;
  let reached = 0;
  const waiters = new Set<() => void>();
  hasher.verify = (hash, password) => {
    reached++;
    for (const waiter of [...waiters]) waiter();
    return verify(hash, password);
  };
  return {
    reached: (count) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (reached < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}
