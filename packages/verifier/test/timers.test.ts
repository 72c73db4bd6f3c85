// The verifier's timers: Node's by default and unref'd, or injected; and the two helpers built on
// them (a self re-arming repeat, and AbortSignal.timeout on the injected timers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { repeat, systemTimers, timeoutSignal } from "../src/lib/timers.js";
import { FakeTime } from "./fixtures/fake-time.js";

describe("verifier timers", () => {
  test("the default timers are Node's, unref'd: background work never keeps a process alive", () => {
    let fired = false;
    const handle = systemTimers.setTimeout(() => {
      fired = true;
    }, 60_000) as NodeJS.Timeout;
    try {
      assert.equal(handle.hasRef(), false);
    } finally {
      systemTimers.clearTimeout(handle);
    }
    assert.equal(fired, false);
  });

  test("repeat runs a task every interval, re-armed after each run, until stopped; a throwing task keeps its schedule", async () => {
    const time = new FakeTime(0);
    const runs: number[] = [];
    const stop = repeat(time.timers, 1000, () => {
      runs.push(time.now);
      if (runs.length === 2) throw new Error("one bad run");
    });
    await time.advance(999);
    assert.deepEqual(runs, []);
    await time.advance(1);
    assert.deepEqual(runs, [1000]);
    await assert.rejects(time.advance(1000), /one bad run/);
    await time.advance(2000);
    assert.deepEqual(runs, [1000, 2000, 3000, 4000]);
    stop();
    assert.deepEqual(time.pendingDelays(), []);
    await time.advance(5000);
    assert.equal(runs.length, 4);
  });

  test("timeoutSignal aborts with a TimeoutError after its delay, on the given timers, unless cleared", async () => {
    const time = new FakeTime(0);
    const timeout = timeoutSignal(time.timers, 200);
    await time.advance(199);
    assert.equal(timeout.signal.aborted, false);
    await time.advance(1);
    assert.equal(timeout.signal.aborted, true);
    assert.equal((timeout.signal.reason as DOMException).name, "TimeoutError");

    const cleared = timeoutSignal(time.timers, 200);
    cleared.clear();
    assert.deepEqual(time.pendingDelays(), []);
    await time.advance(1000);
    assert.equal(cleared.signal.aborted, false);
  });
});
