// Sign-in throttling that concurrency cannot bypass, and that an attacker cannot turn against a
// user: over real HTTP, on both databases, and on two instances sharing one PostgreSQL.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type CallResult,
  call,
  createTestDatabase,
  describeEachDatabase,
  findPostgresBinaries,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";

/** How many sign-ins the server evaluated (hashed), by outcome. */
async function loginOutcomes(server: TestServer): Promise<Record<string, number>> {
  const { values } = await server.context.metrics.loginsTotal.get();
  return Object.fromEntries(values.map((value) => [String(value.labels.outcome), value.value]));
}

function signIn(server: { url: string }, body: Record<string, string>, ip?: string): Promise<CallResult> {
  return call(server, "POST", "/auth/login", {
    json: body,
    ...(ip === undefined ? {} : { headers: { "x-forwarded-for": ip } }),
  });
}

describeEachDatabase("sign-in throttling over HTTP", (getDb) => {
  let server: TestServer;

  before(async () => {
    // Proxy headers are believed, so a test can sign in "from" several addresses over loopback.
    server = await startTestServer({ database: getDb(), env: { SIGIL_TRUST_PROXY: "true" } });
  });
  after(() => server.close());

  test("60 concurrent wrong guesses: no more are evaluated than the allowance, the rest get 429 + Retry-After", async () => {
    const victim = await server.createUser();
    const before = await loginOutcomes(server);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signIn(server, { email: victim.email, password: `wrong guess ${i}` }, `203.0.113.${i % 50}`),
      ),
    );
    const after = await loginOutcomes(server);
    const evaluated = (after.invalid_credentials ?? 0) - (before.invalid_credentials ?? 0);
    assert.equal(evaluated, server.config.rateLimit.accountFreeFailures, "evaluated exactly the allowance");
    const limited = answers.filter((answer) => answer.status === 429);
    assert.equal(limited.length, 60 - evaluated);
    for (const answer of limited) {
      assert.equal(answer.body.error, "rate_limited");
      assert.match(answer.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    }
    assert.ok(answers.every((answer) => answer.status === 401 || answer.status === 429));
  });

  test("an attacker guessing steadily cannot keep the owner of a known device out", async () => {
    const victim = await server.createUser();
    // The victim signed in on this device before the attack: it holds a device credential.
    const first = await signIn(server, { email: victim.email, password: victim.password }, "198.51.100.7");
    assert.equal(first.status, 200);
    let device: string = first.body.device_token;
    assert.match(device, /^[\w-]{22}\.[\w-]{43}$/);
    for (let round = 0; round < 6; round++) {
      // The attacker spends the account's allowance from its own address every round …
      for (let guess = 0; guess < 6; guess++) {
        await signIn(server, { email: victim.email, password: `guess ${round}.${guess}` }, "192.0.2.66");
      }
      // … an unknown device is throttled with the account, as before …
      const stranger = await signIn(server, { email: victim.email, password: victim.password }, "198.51.100.8");
      assert.equal(stranger.status, 429, `round ${round}: an unknown device is throttled`);
      // … and the victim, on the known device, signs in every time.
      const owner = await signIn(
        server,
        { email: victim.email, password: victim.password, device_token: device },
        "198.51.100.7",
      );
      assert.equal(owner.status, 200, `round ${round}: ${JSON.stringify(owner.body)}`);
      device = owner.body.device_token;
    }
  });

  test("a device credential is bound to its account: another account's, or an altered one, counts for nothing", async () => {
    const alice = await server.createUser();
    const bob = await server.createUser();
    const aliceDevice = (await signIn(server, { email: alice.email, password: alice.password }, "198.51.100.20")).body
      .device_token as string;
    for (let i = 0; i < 6; i++) await signIn(server, { email: bob.email, password: "wrong" }, "192.0.2.77");
    for (const device_token of [aliceDevice, `${aliceDevice.slice(0, -1)}A`, "not-a-credential"]) {
      const answer = await signIn(server, { email: bob.email, password: bob.password, device_token }, "198.51.100.21");
      assert.equal(answer.status, 429, device_token);
    }
  });

  test("a password change is throttled on the session, so failures elsewhere cannot block it", async () => {
    const owner = await server.createUser();
    const { accessToken } = await server.login(owner);
    for (let i = 0; i < 8; i++) await signIn(server, { email: owner.email, password: "wrong" }, "192.0.2.88");
    const changed = await call(server, "POST", "/auth/password", {
      token: accessToken,
      json: { current_password: owner.password, new_password: "a brand new passphrase 42" },
    });
    assert.equal(changed.status, 204, JSON.stringify(changed.body));
  });
});

test("two instances on one PostgreSQL share the count: concurrent guesses on both get no more than the allowance", async (t) => {
  if (findPostgresBinaries() === null && process.env.CI !== "true") {
    t.skip("PostgreSQL binaries not found");
    return;
  }
  const url = await createTestDatabase();
  const env = { SIGIL_RATE_LIMIT_STORE: "database", SIGIL_TRUST_PROXY: "true" };
  const first = await startTestServer({ database: { url }, env });
  const second = await startTestServer({ database: { url }, env });
  try {
    const victim = await first.createUser();
    const before = [await loginOutcomes(first), await loginOutcomes(second)];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(i % 2 === 0 ? first : second, { email: victim.email, password: `wrong ${i}` }, `203.0.113.${i}`),
      ),
    );
    const after = [await loginOutcomes(first), await loginOutcomes(second)];
    const evaluated = [0, 1].reduce(
      (sum, i) => sum + (after[i]?.invalid_credentials ?? 0) - (before[i]?.invalid_credentials ?? 0),
      0,
    );
    assert.equal(evaluated, first.config.rateLimit.accountFreeFailures);
    assert.equal(answers.filter((answer) => answer.status === 429).length, 40 - evaluated);
  } finally {
    await first.close();
    await second.close();
  }
});
