import assert from "node:assert/strict";
import { test } from "node:test";
import { findPostgresBinaries } from "@sigil/server/testing";
import { runServerBench } from "./bench.js";
import { renderTextReport } from "./report.js";
import type { ServerBenchSettings } from "./settings.js";

// Tiny durations: this checks the harness end to end and the JSON shape, it measures nothing.
const TINY: ServerBenchSettings = {
  rounds: 1,
  verifyCount: 3,
  users: 4,
  loginConnections: 2,
  loginMs: 300,
  refreshClients: 2,
  refreshMs: 300,
  userinfoRate: 100,
  userinfoWorkers: 2,
  userinfoMs: 300,
  signInRate: 20,
  signInWorkers: 2,
  signInMs: 300,
  registrationConnections: 3,
  registrationAddresses: 16,
  floodLeadMs: 100,
  warmupMs: 100,
  databases: findPostgresBinaries() ? ["pglite", "postgres"] : ["pglite"],
};

const isSummary = (value: unknown, what: string): void => {
  const s = value as { median: number; min: number; max: number; spreadPct: number; count: number };
  assert.ok(Number.isFinite(s.median) && s.median > 0, `${what}: median ${s.median}`);
  assert.ok(s.min <= s.median && s.median <= s.max, `${what}: min <= median <= max`);
  assert.equal(s.count, TINY.rounds, `${what}: one sample per round`);
};

test("bench:server runs every measurement against a real server child and reports the documented shape", async () => {
  const report = await runServerBench(TINY, () => {});
  const json = JSON.parse(JSON.stringify(report)) as typeof report;

  assert.equal(json.benchmark, "server");
  assert.ok(json.machine.cores >= 1);
  assert.match(json.machine.node, /^v\d+/);
  assert.match(json.packages["@node-rs/argon2"] ?? "", /^\d+\.\d+\.\d+/);
  assert.match(json.packages.autocannon ?? "", /^\d+\.\d+\.\d+/);
  assert.deepEqual(json.settings, TINY);
  assert.ok(json.server.hashConcurrency >= 1 && json.server.hashConcurrency < json.server.uvThreadpoolSize);
  assert.match(json.server.database, /^PGlite/);

  const { login, refresh, userinfo, signIn } = json.results;
  for (const key of [
    "verifyMs",
    "boundLoginsPerSec",
    "parallelVerifiesPerSec",
    "loginsPerSec",
    "ratioToBound",
    "unknownEmailRatio",
  ] as const) {
    isSummary(login[key], `login.${key}`);
  }
  assert.ok(login.verifyMs.median > 0.5, "an OWASP argon2id verify takes milliseconds, not microseconds");
  assert.equal(login.non2xx, 0, "every flood login is a valid one");
  assert.equal(login.hashConcurrency, json.server.hashConcurrency);
  if (process.platform === "linux") {
    isSummary(login.mainThreadMsPerLogin, "login.mainThreadMsPerLogin");
    isSummary(login.cpuCeiling, "login.cpuCeiling");
    isSummary(login.hashThreadsCeiling, "login.hashThreadsCeiling");
    assert.ok(login.hashThreadsCeiling!.max <= 1, "hashing threads cannot beat the bound");
  }

  assert.deepEqual(
    refresh.map((r) => r.database),
    TINY.databases,
  );
  for (const r of refresh) {
    assert.equal(r.skipped, null, `${r.database} measured`);
    isSummary(r.reqPerSec, `refresh ${r.database} req/s`);
    isSummary(r.p99Ms, `refresh ${r.database} p99`);
    assert.equal(r.failed, 0, `every refresh of ${r.database} rotated its chain`);
  }
  for (const key of ["idleP99Ms", "floodP99Ms", "p99Ratio", "floodLoginsPerSec"] as const) {
    isSummary(userinfo[key], `userinfo.${key}`);
  }
  assert.equal(userinfo.failed, 0);
  for (const key of [
    "idleP50Ms",
    "idleP99Ms",
    "floodP50Ms",
    "floodP99Ms",
    "p99Ratio",
    "p50Ratio",
    "floodRegistrationsPerSec",
  ] as const) {
    isSummary(signIn[key], `signIn.${key}`);
  }
  assert.equal(signIn.ratePerSec, TINY.signInRate);
  assert.equal(signIn.failed, 0, "every probe sign-in succeeds: right password, own address, known device");
  const { accepted, refused429, refused503, other } = signIn.registrations;
  assert.ok(accepted > 0, "the registration flood creates accounts");
  assert.equal(refused429, 0, "the quotas are raised: the flood measures hashing, not the quota");
  assert.equal(refused503, 0, "fewer flood connections than the background line holds");
  assert.equal(other, 0);
  const round = json.rounds[0]!;
  assert.equal(round.signInRatio, round.signInFlood.p99Ms / round.signInIdle.p99Ms);
  assert.equal(round.registrationFlood.accepted, accepted);
  assert.equal(json.rounds.length, TINY.rounds);

  assert.deepEqual(
    json.targets.items.map((t) => [t.limit, t.direction]),
    [
      [0.85, "at-least"],
      [3, "at-most"],
      [3, "at-most"],
      [3, "at-most"],
    ],
  );
  for (const t of json.targets.items) assert.equal(typeof t.pass, "boolean");
  assert.equal(json.targets.allPassed, json.targets.failed.length === 0);
  const text = renderTextReport(report);
  assert.match(text, /login flood.*\n[\s\S]*targets:/);
  assert.match(text, /sign-in p99 during registration flood/);
  assert.match(text, /registration floods \(16 addresses\): \d+ accepted, 0 refused 429 \(quota\), 0 refused 503/);
  assert.match(text, /(PASS|FAIL) {2}sign-in p99 during a registration flood <= 3x its idle p99/);
});
