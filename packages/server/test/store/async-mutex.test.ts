import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { AsyncMutex } from "../../src/store/async-mutex.js";

test("AsyncMutex runs critical sections one at a time, in call order, and survives a throw", async () => {
  const mutex = new AsyncMutex();
  const events: string[] = [];
  const section = (name: string, ms: number, fail = false) =>
    mutex.run(async () => {
      events.push(`${name}:start`);
      await sleep(ms);
      events.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([section("a", 15), section("b", 1, true), section("c", 5)]);
  assert.deepEqual(events, ["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  assert.equal(results[0].status, "fulfilled");
  assert.equal(results[1].status, "rejected");
  assert.deepEqual(results[2], { status: "fulfilled", value: "c" });
});
