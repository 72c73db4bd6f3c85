// withWebLock: waits for the lock, but not forever: after the timeout it steals it from a hung
// holder. The task's outcome is what counts, even when the lock is stolen from under it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { withWebLock } from "../src/tabs/web-lock.js";
import { FakeClock } from "./fixtures/fake-clock.js";
import { FakeLockManager } from "./fixtures/fake-locks.js";

describe("withWebLock", () => {
  test("a task that fails: its error, no steal, the lock released", async () => {
    const clock = new FakeClock();
    const locks = new FakeLockManager();
    await assert.rejects(
      withWebLock(locks, "l", 1000, clock.timers, async () => {
        throw new Error("refresh failed");
      }),
      /refresh failed/,
    );
    assert.equal(locks.steals, 0);
    assert.equal(locks.isHeld("l"), false);
    assert.deepEqual(clock.pendingDelays(), [], "the timeout timer is cleared");
  });

  test("a lock manager that refuses outright (not an abort): its error, no steal", async () => {
    const clock = new FakeClock();
    const refusing = { request: () => Promise.reject(new DOMException("denied", "SecurityError")) };
    await assert.rejects(
      withWebLock(refusing, "l", 1000, clock.timers, async () => 1),
      { name: "SecurityError" },
    );
  });

  test("a hung holder: waits the timeout, then steals; the task runs once", async () => {
    const clock = new FakeClock();
    const locks = new FakeLockManager();
    locks.hang("l");
    let runs = 0;
    const result = withWebLock(locks, "l", 1000, clock.timers, async () => ++runs);
    await clock.advance(999);
    assert.equal(runs, 0);
    await clock.advance(1);
    assert.equal(await result, 1);
    assert.equal(locks.steals, 1);
  });

  test("a holder that finishes in time: no steal, the task runs after it", async () => {
    const clock = new FakeClock();
    const locks = new FakeLockManager();
    const order: string[] = [];
    const first = withWebLock(locks, "l", 1000, clock.timers, async () => {
      order.push("first");
    });
    const second = withWebLock(locks, "l", 1000, clock.timers, async () => {
      order.push("second");
    });
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first", "second"]);
    assert.equal(locks.steals, 0);
    assert.deepEqual(clock.pendingDelays(), []);
  });

  test("a task whose lock is stolen while it runs still returns its own result", async () => {
    const clock = new FakeClock();
    const locks = new FakeLockManager();
    let finish: (value: string) => void = () => {};
    const slow = withWebLock(locks, "l", 1000, clock.timers, () => new Promise<string>((r) => (finish = r)));
    await clock.advance(0);
    const thief = withWebLock(locks, "l", 1000, clock.timers, async () => "thief");
    await clock.advance(1000);
    assert.equal(await thief, "thief");
    finish("slow");
    assert.equal(await slow, "slow");
    assert.equal(locks.steals, 1);
  });
});
