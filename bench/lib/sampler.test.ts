import assert from "node:assert/strict";
import { test } from "node:test";
import { type BenchCase, sampleInterleaved } from "./sampler.js";

test("sampleInterleaved warms up, then takes every case's samples in rotated rounds", async () => {
  const order: string[] = [];
  let measuring = false;
  const busy = (id: string): BenchCase => ({
    id,
    run(iterations) {
      if (measuring) order.push(id);
      let x = 0;
      for (let i = 0; i < iterations * 50; i++) x += i;
      return x;
    },
  });
  const asyncCase: BenchCase = {
    id: "async",
    async run(iterations) {
      if (measuring) order.push("async");
      for (let i = 0; i < iterations; i++) await Promise.resolve();
    },
  };
  const cases = [busy("a"), busy("b"), asyncCase];
  const samples = await sampleInterleaved(cases, {
    samples: 3,
    sampleMs: 5,
    warmupMs: 5,
    onRound: (round) => {
      measuring = round < 3; // the callback runs after each round; rounds 2 and 3 are recorded
    },
  });
  for (const c of cases) {
    const values = samples.get(c.id)!;
    assert.equal(values.length, 3);
    for (const v of values) assert.ok(Number.isFinite(v) && v > 0);
  }
  assert.deepEqual(order, ["b", "async", "a", "async", "a", "b"], "round r starts at case r");
  await assert.rejects(
    sampleInterleaved([busy("x"), busy("x")], { samples: 1, sampleMs: 1, warmupMs: 1 }),
    /duplicate/,
  );
});
