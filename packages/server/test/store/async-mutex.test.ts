import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncMutex } from "../../src/store/async-mutex.js";
import { settle } from "../../src/testing/index.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

test("AsyncMutex runs critical sections one at a time, in call order, and survives a throw", async () => {
  const mutex = new AsyncMutex();
  const events: string[] = [];
  const gates = { a: gate(), b: gate(), c: gate() };
  const section = (name: keyof typeof gates, fail = false) =>
    mutex.run(async () => {
      events.push(`${name}:start`);
      await gates[name].promise;
      events.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    });
  const all = Promise.allSettled([section("a"), section("b", true), section("c")]);
  await settle();
  assert.deepEqual(events, ["a:start"], "b and c wait while a holds the mutex");
  // Released out of order: they still run one at a time, in call order.
  gates.c.open();
  gates.b.open();
  await settle();
  assert.deepEqual(events, ["a:start"]);
  gates.a.open();
  const results = await all;
  assert.deepEqual(events, ["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  assert.equal(results[0].status, "fulfilled");
  assert.equal(results[1].status, "rejected");
  assert.deepEqual(results[2], { status: "fulfilled", value: "c" });
});
