import assert from "node:assert/strict";
import { test } from "node:test";
import { ARGON2_PARAMS, OWASP_ARGON2ID_MINIMUMS } from "@sigil/server";
import { runArgon2Bench } from "./bench.js";

// Tiny counts: this checks the harness end to end and the JSON shape, it measures nothing.
test("bench:argon2 times every OWASP set, one lane and several at once, and marks Sigil's", async () => {
  const report = await runArgon2Bench({ rounds: 1, verifies: 2, lanes: 2 }, ARGON2_PARAMS, () => {});
  const json = JSON.parse(JSON.stringify(report)) as typeof report;
  assert.equal(json.benchmark, "argon2");
  assert.match(json.packages["@node-rs/argon2"] ?? "", /^\d+\.\d+\.\d+/);
  assert.deepEqual(
    json.results.map((r) => [r.memoryKiB, r.passes]),
    OWASP_ARGON2ID_MINIMUMS.map((set) => [set.memoryCost, set.timeCost]),
  );
  assert.deepEqual(
    json.results.filter((r) => r.sigilDefault).map((r) => [r.memoryKiB, r.passes]),
    [[ARGON2_PARAMS.memoryCost, ARGON2_PARAMS.timeCost]],
  );
  for (const result of json.results) {
    assert.ok(result.singleVerifyMs.median > 0.5, "an OWASP argon2id verify takes milliseconds");
    assert.ok(result.parallelPerSec.median > 0 && result.scaling > 0);
    // The bound is lanes / single verify time, by definition.
    assert.ok(Math.abs(result.boundPerSec.median - 2000 / result.singleVerifyMs.median) < 1e-6);
  }
});
