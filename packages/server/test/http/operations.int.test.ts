import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import { describeEachDatabase } from "../../src/testing/index.js";
import {
  call,
  GOOD_PASSWORD,
  registerAndLogin,
  startTestServer,
  type TestServer,
  uniqueEmail,
} from "../support/test-server.js";

describeEachDatabase("health, metrics, registration switch, rate limits, hash queue, bcrypt import", (getDb) => {
  const servers: TestServer[] = [];
  const start = async (options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> => {
    const server = await startTestServer(getDb(), options);
    servers.push(server);
    return server;
  };
  // Each test's servers stop with it: every server holds a LISTEN connection of the shared pool.
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  test("GET /healthz → 200; GET /readyz → 200 naming the database", async () => {
    const server = await start();
    assert.deepEqual((await call(server, "GET", "/healthz")).body, { status: "ok" });
    const ready = await call(server, "GET", "/readyz");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: "ok", database: getDb().kind });
  });

  test("GET /metrics → Prometheus text with logins by outcome and the hash queue depth", async () => {
    const server = await start();
    const user = await registerAndLogin(server);
    await call(server, "POST", "/auth/login", { json: { email: user.email, password: "wrong password!" } });
    await call(server, "GET", "/userinfo", { token: "a.b.c" });
    const response = await call(server, "GET", "/metrics");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(response.body, /^sigil_logins_total\{outcome="success"\} 1$/m);
    assert.match(response.body, /^sigil_logins_total\{outcome="invalid_credentials"\} 1$/m);
    assert.match(response.body, /^sigil_token_check_failures_total\{code="[A-Z_]+"\} 1$/m);
    assert.match(response.body, /^sigil_password_hash_queue_depth 0$/m);
  });

  test("GET /metrics with SIGIL_METRICS_TOKEN: only that Bearer token reads it, others get 401", async () => {
    const token = "mE7rIcs-scrape_Tok3n.for-the-Prometheus-job-x9Q2";
    const server = await start({ config: { metricsToken: token } });
    for (const [name, headers] of [
      ["no credentials", {}],
      ["another token", { authorization: `Bearer ${token.slice(0, -1)}Z` }],
      ["a prefix of it", { authorization: `Bearer ${token.slice(0, 20)}` }],
      ["Basic", { authorization: `Basic ${Buffer.from(`x:${token}`).toString("base64")}` }],
      ["malformed Bearer", { authorization: `Bearer ${token} extra` }],
    ] as const) {
      const refused = await call(server, "GET", "/metrics", { headers });
      assert.equal(refused.status, 401, name);
      assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="sigil-metrics"', name);
      assert.equal(refused.body.error, "unauthorized", name);
      assert.doesNotMatch(JSON.stringify(refused.body), /sigil_/, name);
    }
    const allowed = await call(server, "GET", "/metrics", { token });
    assert.equal(allowed.status, 200);
    assert.match(allowed.body, /^sigil_password_hash_queue_depth 0$/m);
    // Health probes stay open: orchestrators call them without credentials.
    assert.equal((await call(server, "GET", "/healthz")).status, 200);
    assert.equal((await call(server, "GET", "/readyz")).status, 200);
  });

  test("registration switched off → 403 registration_disabled, nothing stored", async () => {
    const server = await start({ config: { registrationEnabled: false } });
    const email = uniqueEmail();
    const response = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(response.status, 403);
    assert.equal(response.body.error, "registration_disabled");
    const rows = await getDb().query("SELECT 1 FROM users WHERE email_normalized = $1", [email]);
    assert.equal(rows.rows.length, 0);
  });

  test("failed logins back off → 429 with Retry-After; another account's correct login is unaffected", async () => {
    const base = await start();
    const server = await start({
      config: { rateLimit: { ...base.config.rateLimit, accountFreeFailures: 2, addressFreeFailures: 10_000 } },
    });
    const victim = await registerAndLogin(server);
    const bystander = await registerAndLogin(server);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await call(server, "POST", "/auth/login", {
        json: { email: victim.email, password: `guess ${i}` },
      });
      statuses.push(response.status);
      if (response.status === 429) {
        assert.equal(response.body.error, "rate_limited");
        assert.match(response.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      }
    }
    assert.deepEqual(statuses.slice(0, 2), [401, 401]);
    assert.equal(statuses.at(-1), 429);
    const other = await call(server, "POST", "/auth/login", {
      json: { email: bystander.email, password: GOOD_PASSWORD },
    });
    assert.equal(other.status, 200);
  });

  test("a full password-hash queue → 503 with Retry-After instead of unbounded queueing", async () => {
    const server = await start({ config: { hashConcurrency: 1, hashQueueLimit: 1 } });
    const email = uniqueEmail();
    await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } }),
      ),
    );
    const busy = responses.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, `statuses: ${responses.map((r) => r.status)}`);
    for (const response of busy) {
      assert.equal(response.body.error, "temporarily_unavailable");
      assert.match(response.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    }
    assert.ok(responses.some((r) => r.status === 200));
  });

  test("an imported bcrypt user logs in and is re-hashed to argon2id", async () => {
    const server = await start();
    const email = uniqueEmail("imported");
    await getDb().query(
      "INSERT INTO users (id, email, email_normalized, password_hash, roles) VALUES ($1, $2, $2, $3, $4)",
      [`imp-${process.pid}`, email, await bcryptHash(GOOD_PASSWORD, 4), ["reader"]],
    );
    const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(login.status, 200);
    const stored = await getDb().query<{ h: string }>("SELECT password_hash AS h FROM users WHERE email = $1", [email]);
    assert.match(stored.rows[0]!.h, /^\$argon2id\$/);
    const again = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(again.status, 200);
    const info = await call(server, "GET", "/userinfo", { token: again.body.access_token });
    assert.deepEqual(info.body.roles, ["reader"]);
    const payload = JSON.parse(Buffer.from(again.body.access_token.split(".")[1], "base64url").toString());
    assert.deepEqual(payload.roles, ["reader"]);
  });

  test("after a change of signing algorithm, tokens of the previous key stay valid until they expire", async () => {
    // Two instances of one deployment: one issuer, whatever port each test server listens on.
    const env = { SIGIL_ISSUER: "http://127.0.0.1:3000" };
    const before = await start({ env });
    const user = await registerAndLogin(before);
    const after = await start({ env, config: { signingAlg: "ES256" } });
    const info = await call(after, "GET", "/userinfo", { token: user.access });
    assert.equal(info.status, 200);
    const login = await call(after, "POST", "/auth/login", { json: { email: user.email, password: GOOD_PASSWORD } });
    assert.equal((await call(after, "GET", "/userinfo", { token: login.body.access_token })).status, 200);
  });
});
