import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runJWTBench } from "./bench.js";
import type { Contender } from "./contenders/contender.js";
import { raw } from "./contenders/raw.js";
import { runHarness } from "./harness.js";

const TINY = { samples: 2, sampleMs: 20, warmupMs: 20, poolSize: 50 };
const silent = (): void => {};

describe("bench:jwt harness (smoke: tiny durations, not a measurement)", () => {
  test("one algorithm end to end: every implementation validated and the JSON has the documented shape", async () => {
    const report = await runJWTBench({ ...TINY, algorithms: ["HS256"] }, silent);
    const json = JSON.parse(JSON.stringify(report)) as typeof report;

    assert.equal(json.benchmark, "jwt");
    assert.equal(typeof json.machine.cpuModel, "string");
    assert.ok(json.machine.cores >= 1);
    assert.match(json.machine.node, /^v\d+/);
    assert.equal(typeof json.machine.openssl, "string");
    for (const name of ["@sigil/jwt", "fast-jwt", "jsonwebtoken", "jose"]) {
      assert.match(json.packages[name] ?? "", /^\d+\.\d+\.\d+/, `version of ${name}`);
    }
    assert.equal(json.sigilUnavailable, null, "Sigil's engine is exported and measured");
    assert.deepEqual(
      json.skipped.filter((s) => s.failed),
      [],
      "no implementation failed validation",
    );

    const verifyOff = json.results.filter((r) => r.op === "verify" && r.cache === "off").map((r) => r.impl);
    assert.deepEqual(verifyOff.sort(), [
      "fast-jwt",
      "jose (CryptoKey)",
      "jose (KeyObject)",
      "jsonwebtoken",
      "raw node:crypto",
      "sigil",
    ]);
    const groups = new Set(json.results.map((r) => `${r.op}/${r.cache}`));
    assert.deepEqual([...groups].sort(), ["sign/off", "verify/hit", "verify/miss", "verify/off"]);
    for (const r of json.results) {
      assert.equal(r.alg, "HS256");
      assert.equal(r.validated, true);
      assert.equal(r.samples, 2);
      assert.ok(r.opsPerSec > 0 && Number.isFinite(r.opsPerSec), `${r.impl} ops/s`);
      assert.ok(Math.abs(r.usPerOp * r.opsPerSec - 1e6) < 1e-3 * 1e6);
      assert.ok(r.spreadPct >= 0);
      assert.equal(typeof r.costVsRaw, "number");
    }
    const rawVerify = json.results.find((r) => r.role === "raw" && r.op === "verify");
    assert.equal(rawVerify?.costVsRaw, 1);

    assert.equal(typeof json.targets.allPassed, "boolean");
    const names = json.targets.items.map((t) => t.name);
    assert.ok(names.includes("sigil HS256 verify (no cache) costs <= 1.15x raw"));
    assert.ok(names.some((n) => n.startsWith("sigil ahead of every peer: HS256 verify (cache off)")));
    assert.ok(!names.some((n) => n.includes("EdDSA")), "filtered algorithms are not evaluated");
    for (const t of json.targets.items) assert.ok(t.pass === true || t.pass === false || t.pass === null);
  });

  test("a verifier that accepts anything, or a broken signer, is reported as failed and never timed", async () => {
    const fake: Contender = {
      name: "accepts-anything",
      role: "peer",
      keyForm: "none",
      cacheModes: ["off"],
      unsupported: () => undefined,
      createSigner: async () => () => "not.a.token",
      createVerifier: async () => ({
        verify: (token) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()),
        subjectOf: (result) => (result as { sub?: unknown }).sub,
      }),
    };
    const { results, skipped } = await runHarness({
      ...TINY,
      algorithms: ["EdDSA"],
      contenders: [raw, fake],
      log: silent,
    });
    assert.deepEqual(results.map((r) => r.impl).sort(), ["raw node:crypto", "raw node:crypto"]);
    const failures = skipped.filter((s) => s.impl === "accepts-anything");
    assert.deepEqual(failures.map((s) => s.op).sort(), ["sign", "verify"]);
    for (const f of failures) assert.equal(f.failed, true);
    assert.match(failures.find((f) => f.op === "verify")!.reason, /accepted a token with/);
  });
});
