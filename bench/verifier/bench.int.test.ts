import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ApproachId } from "./approaches.js";
import { type BenchSettings, DEFAULT_SETTINGS, runVerifierBench } from "./bench.js";
import { renderChart } from "./chart.js";
import { renderTextReport } from "./report.js";
import { redisVersion } from "./stores.js";

// Tiny durations: this checks the harness end to end (real auth server, feed, server children,
// autocannon, probes, memory child) and the JSON shape, not performance.
const approaches: ApproachId[] = ["fastify-none", "sigil-eddsa"];
if (redisVersion() !== null) approaches.push("fastify-redis-session");
const TINY: BenchSettings = {
  ...DEFAULT_SETTINGS,
  approaches,
  rounds: 1,
  durationMs: 250,
  warmupMs: 100,
  connections: 4,
  poolSize: 50,
  probes: 2,
  propagationRounds: 2,
  memoryEntries: 2000,
  parseBytes: 64 * 1024,
  pin: false,
};

describe("bench:verifier (smoke: tiny durations, not a measurement)", () => {
  test("one run end to end: every section measured, the JSON has the documented shape", async () => {
    const report = await runVerifierBench(TINY, () => {});
    const json = JSON.parse(JSON.stringify(report)) as typeof report;

    assert.equal(json.benchmark, "verifier");
    assert.match(json.machine.node, /^v\d+/);
    for (const name of ["fastify", "@fastify/jwt", "express", "express-jwt", "autocannon"]) {
      assert.match(json.versions[name] ?? "", /^\d+\.\d+\.\d+/, `version of ${name}`);
    }
    assert.deepEqual(json.skipped, []);
    assert.deepEqual(
      json.http.map((r) => r.id),
      approaches,
    );
    for (const row of json.http) {
      for (const mode of [row.single, row.pool]) {
        assert.equal(mode.failures, 0, `${row.id}: every response 2xx`);
        assert.equal(mode.rpsSamples.length, 1);
        assert.ok(mode.rps > 0 && Number.isFinite(mode.p50Ms) && Number.isFinite(mode.p99Ms), row.id);
        assert.ok(mode.cpuMicrosPerRequest > 0 && mode.cpuMicrosPerRequest < 100_000, `${row.id} CPU per request`);
      }
    }
    assert.equal(json.propagation.rounds, 2);
    assert.equal(json.propagation.allProbesMs.length, 2);
    assert.equal(json.propagation.perProbeMs.length, 4);
    assert.deepEqual(json.propagation.codes, { TOKEN_REVOKED: 4 }, "every probe refused with TOKEN_REVOKED");
    assert.equal(json.memory.entries, 2000);
    assert.ok(json.memory.bytesPerEntry > 8 && json.memory.bytesPerEntry < 2000, `${json.memory.bytesPerEntry} B`);
    assert.equal(json.parse.bytes, 64 * 1024);
    assert.equal(json.parse.samplesMs.length, json.parse.rounds);
    assert.ok(Number.isFinite(json.parse.medianMs));

    const ids = json.targets.results.map((t) => t.id);
    for (const id of ["reuse-vs-ceiling", "propagation-p99", "mirror-memory", "snapshot-parse"]) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(json.targets.results.find((t) => t.id === "distinct-vs-raw-verify")?.value, null, "raw row not run");
    for (const target of json.targets.results) {
      assert.equal(typeof target.passed, "boolean");
      assert.ok(target.value === null || Number.isFinite(target.value), target.id);
      if (target.unit === "ratio") assert.ok(target.cpuBasedValue === null || Number.isFinite(target.cpuBasedValue));
    }
    assert.deepEqual(
      json.targets.failed,
      json.targets.results.filter((t) => !t.passed).map((t) => t.id),
    );

    const text = renderTextReport(report);
    assert.match(text, /fastify \+ Sigil EdDSA, revocation on/);
    const svg = renderChart(report.http, { subtitle: "smoke", poolSize: TINY.poolSize });
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/<rect x="300" y="\d+" width="[\d.]+" height="11"/g)?.length, approaches.length * 2);
  });
});
