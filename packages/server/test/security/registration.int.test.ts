// Registration cannot be used to starve sign-ins or to enumerate at speed: quotas per address and
// overall, counted before any hashing; a taken email costs the same hash as a new one.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { call, describeEachDatabase, startTestServer, type TestServer, uniqueEmail } from "../../src/testing/index.js";

describeEachDatabase("registration quotas", (getDb) => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      database: getDb(),
      env: { SIGIL_TRUST_PROXY: "true", SIGIL_REGISTRATION_ADDRESS_LIMIT: "3", SIGIL_REGISTRATION_LIMIT: "5" },
    });
  });
  after(() => server.close());

  const register = (email: string, ip: string) =>
    call(server, "POST", "/auth/register", {
      json: { email, password: "a long enough passphrase 7" },
      headers: { "x-forwarded-for": ip },
    });

  test("per address, then overall: 429 with Retry-After, nothing stored, no hash spent", async () => {
    for (let i = 0; i < 3; i++) assert.equal((await register(uniqueEmail("quota"), "192.0.2.10")).status, 202);
    const hashesBefore = server.context.hasher.completed.hash;
    const refused = await register(uniqueEmail("quota"), "192.0.2.10");
    assert.equal(server.context.hasher.completed.hash, hashesBefore, "refused before any hashing");
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, "rate_limited");
    assert.ok(Number(refused.headers.get("retry-after")) > 3000, "until the window ends");
    // A taken email counts against the quota like any other attempt.
    assert.equal((await register(uniqueEmail("quota"), "192.0.2.11")).status, 202);
    const taken = uniqueEmail("taken");
    assert.equal((await register(taken, "192.0.2.12")).status, 202);
    assert.equal((await register(taken, "192.0.2.13")).status, 429, "five in all: the overall quota is spent");
    const stored = await getDb().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email LIKE 'quota-%'",
    );
    assert.equal(stored.rows[0]?.n, 4);
  });
});

describeEachDatabase("a taken email", (getDb) => {
  test("gets the answer a new one gets, after the same password hash", async () => {
    const server = await startTestServer({ database: getDb() });
    try {
      const email = uniqueEmail("taken");
      const password = "a long enough passphrase 7";
      assert.equal((await server.request("POST", "/auth/register", { json: { email, password } })).status, 202);
      const before = server.context.hasher.completed.hash;
      const again = await server.request("POST", "/auth/register", { json: { email: email.toUpperCase(), password } });
      assert.equal(again.status, 202);
      assert.deepEqual(again.body, { status: "check_your_email" });
      assert.equal(server.context.hasher.completed.hash - before, 1, "one hash, as for a new account");
    } finally {
      await server.close();
    }
  });
});
