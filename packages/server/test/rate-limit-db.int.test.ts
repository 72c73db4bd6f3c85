import assert from "node:assert/strict";
import { test } from "node:test";
import { DatabaseFailureStore } from "../src/abuse/index.js";
import { deleteStaleLoginFailures, recordLoginFailure } from "../src/store/login-failures.js";
import { describeEachDatabase } from "../src/testing/index.js";
import { rateLimitScenarios } from "./rate-limit-scenarios.js";

describeEachDatabase("login rate limiter: database store", (getDb) => {
  rateLimitScenarios(() => new DatabaseFailureStore(getDb()));

  test("concurrent failures from several instances are all counted", async () => {
    const db = getDb();
    const now = new Date(Date.UTC(2026, 10, 24, 12));
    const policy = { freeFailures: 5, windowSeconds: 900, maxBlockSeconds: 900 };
    await Promise.all(
      Array.from({ length: 12 }, () => recordLoginFailure(db, "account:race@example.com", now, policy)),
    );
    const { rows } = await db.query<{ failures: number }>("SELECT failures FROM login_failures WHERE key = $1", [
      "account:race@example.com",
    ]);
    assert.equal(rows[0]?.failures, 12);
  });

  test("stale rows are deleted by the sweep, live ones kept", async () => {
    const db = getDb();
    const t0 = new Date(Date.UTC(2030, 0, 1));
    const policy = { freeFailures: 5, windowSeconds: 60, maxBlockSeconds: 60 };
    await recordLoginFailure(db, "account:stale@example.com", t0, policy);
    await recordLoginFailure(db, "account:live@example.com", new Date(t0.getTime() + 30_000), policy);
    const deleted = await deleteStaleLoginFailures(db, new Date(t0.getTime() + 60_000), 60);
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
