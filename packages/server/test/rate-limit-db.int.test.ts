import assert from "node:assert/strict";
import { test } from "node:test";
import { DatabaseAttemptStore, LoginRateLimiter } from "../src/abuse/index.js";
import { deleteStaleAttemptCounters } from "../src/store/attempt-counters.js";
import { openPostgres } from "../src/store/postgres.js";
import { createTestDatabase, describeEachDatabase } from "../src/testing/index.js";
import { RATE_LIMIT, rateLimitScenarios, TestClock } from "./rate-limit-scenarios.js";

describeEachDatabase("sign-in throttling: database store", (getDb) => {
  rateLimitScenarios(() => new DatabaseAttemptStore(getDb()));

  test("stale rows are deleted by the sweep, live ones kept", async () => {
    const db = getDb();
    const store = new DatabaseAttemptStore(db);
    const t0 = Date.UTC(2030, 0, 1);
    const policy = { allowance: 5, windowSeconds: 60, maxBlockSeconds: 60 };
    await store.reserve([{ key: "account:stale@example.com", policy }], t0);
    await store.reserve([{ key: "account:live@example.com", policy }], t0 + 30_000);
    const deleted = await deleteStaleAttemptCounters(db, t0 + 60_000, 60);
    assert.ok(deleted >= 1);
    const { rows } = await db.query<{ key: string }>(
      "SELECT key FROM login_failures WHERE key IN ('account:stale@example.com', 'account:live@example.com')",
    );
    assert.deepEqual(
      rows.map((row) => row.key),
      ["account:live@example.com"],
    );
  });
});

test("two instances on one PostgreSQL: concurrent guesses from both get no more than the allowance", async (t) => {
  if (!process.env.CI && !(await import("../src/testing/index.js")).findPostgresBinaries()) {
    t.skip("PostgreSQL binaries not found");
    return;
  }
  const url = await createTestDatabase();
  const first = await openPostgres(url);
  const second = await openPostgres(url);
  try {
    const { migrate } = await import("../src/store/migrate.js");
    await migrate(first);
    const clock = new TestClock();
    const limiters = [first, second].map(
      (db) => new LoginRateLimiter(new DatabaseAttemptStore(db), { rateLimit: RATE_LIMIT, now: clock.now }),
    );
    const keys = { account: "both@example.com", ip: "192.0.2.250" };
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (limiters[i % 2] as LoginRateLimiter).reserve(keys)),
    );
    assert.equal(decisions.filter((decision) => decision.allowed).length, RATE_LIMIT.accountFreeFailures);
  } finally {
    await first.close();
    await second.close();
  }
});
