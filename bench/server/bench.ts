// `npm run bench:server`: the auth server under load, in one run —
// 1. login throughput against the password-hash bound (cores / single argon2id verify);
// 2. refresh (rotation) throughput and latency on PGlite and on PostgreSQL;
// 3. userinfo p99 idle and while a login flood saturates hashing;
// 4. sign-in p99 idle and while a registration flood saturates hashing.
// The server runs in a child process (its own event loop, its own password-hashing worker threads
// and its own libuv pool); the load generators run here.

import { performance } from "node:perf_hooks";
import { describeMachine, type MachineInfo, packageVersion } from "../lib/machine.js";
import { type SampleSummary, summarize } from "../lib/stats.js";
import { BenchServers, type PreparedServer } from "./bench-targets.js";
import { type LoginCpu, type RoundRecord, runRound, warmUp } from "./round.js";
import type { DatabaseKind, ServerBenchSettings } from "./settings.js";
import { evaluateTargets, type TargetsReport } from "./targets.js";

export interface RefreshSummary {
  readonly database: DatabaseKind;
  /** The database as the server describes it; null when skipped. */
  readonly description: string | null;
  /** Why this database was not measured (e.g. no PostgreSQL binaries); null when it was. */
  readonly skipped: string | null;
  readonly reqPerSec: SampleSummary | null;
  readonly p50Ms: SampleSummary | null;
  readonly p99Ms: SampleSummary | null;
  readonly failed: number;
}

export interface ServerBenchReport {
  readonly benchmark: "server";
  readonly machine: MachineInfo;
  readonly packages: Record<string, string>;
  readonly settings: ServerBenchSettings;
  readonly server: { readonly hashConcurrency: number; readonly uvThreadpoolSize: number; readonly database: string };
  readonly results: {
    readonly login: {
      readonly cores: number;
      readonly hashConcurrency: number;
      readonly verifyMs: SampleSummary;
      /** Of one verify, the time @node-rs/argon2 holds the event loop before handing off to the pool. */
      readonly verifyBlockingMs: SampleSummary;
      readonly boundLoginsPerSec: SampleSummary;
      /** argon2id verifies/s with `cores` in parallel: what hashing got on this machine at the time. */
      readonly parallelVerifiesPerSec: SampleSummary;
      /** Per round: the hasher's time for an unknown email (dummy verify) ÷ for a wrong password. */
      readonly unknownEmailRatio: SampleSummary;
      readonly loginsPerSec: SampleSummary;
      readonly ratioToBound: SampleSummary;
      /** Logins/s ÷ parallel verifies/s, per round: the server's own overhead, apart from CPU contention. */
      readonly ratioToParallelVerify: SampleSummary;
      /** Server CPU per login during the flood; null off Linux. */
      readonly mainThreadMsPerLogin: SampleSummary | null;
      readonly otherThreadsMsPerLogin: SampleSummary | null;
      readonly serverCoresBusy: SampleSummary | null;
      /**
       * The most logins/s ÷ bound this server could reach on this machine, from its measured CPU
       * per login (null off Linux). Work conservation: were every core busy for the server (no load
       * generator, no idle), logins/s ÷ bound = verify ÷ (CPU per login), whatever the core count.
       */
      readonly cpuCeiling: SampleSummary | null;
      /**
       * And its hashing threads can do no more than `hashConcurrency` verifies at once, each costing
       * the other threads' CPU per login: hashConcurrency ÷ cores × verify ÷ that (capped at 1).
       */
      readonly hashThreadsCeiling: SampleSummary | null;
      readonly non2xx: number;
      readonly errors: number;
    };
    readonly refresh: RefreshSummary[];
    readonly userinfo: {
      readonly ratePerSec: number;
      readonly idleP50Ms: SampleSummary;
      readonly idleP99Ms: SampleSummary;
      readonly floodP50Ms: SampleSummary;
      readonly floodP99Ms: SampleSummary;
      readonly p99Ratio: SampleSummary;
      readonly floodLoginsPerSec: SampleSummary;
      readonly failed: number;
    };
    readonly signIn: {
      readonly ratePerSec: number;
      readonly idleP50Ms: SampleSummary;
      readonly idleP99Ms: SampleSummary;
      readonly floodP50Ms: SampleSummary;
      readonly floodP99Ms: SampleSummary;
      readonly p99Ratio: SampleSummary;
      /**
       * Per-round p50 under the flood ÷ idle p50 (no target): on a loaded machine the idle p99 is
       * set by other work, and this ratio is the one that still tells waiting lines apart.
       */
      readonly p50Ratio: SampleSummary;
      /** Registrations accepted per second over the flood under the probe (its lead included). */
      readonly floodRegistrationsPerSec: SampleSummary;
      /** The registration floods' answers, summed over rounds: 202, 429 (quota), 503 (hash queue), other. */
      readonly registrations: {
        readonly accepted: number;
        readonly refused429: number;
        readonly refused503: number;
        readonly other: number;
      };
      /** Probe sign-ins that did not answer 200. */
      readonly failed: number;
    };
  };
  readonly rounds: RoundRecord[];
  readonly targets: TargetsReport;
  readonly durationSec: number;
}

const PACKAGES = ["@sigil/server", "@node-rs/argon2", "fastify", "@electric-sql/pglite", "pg", "autocannon"];

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function refreshSummary(
  kind: DatabaseKind,
  rounds: readonly RoundRecord[],
  prepared: PreparedServer | undefined,
  skipped: string | null,
): RefreshSummary {
  const runs = rounds.flatMap((round) => (round.refresh[kind] ? [round.refresh[kind]] : []));
  if (!prepared || runs.length === 0) {
    return {
      database: kind,
      description: null,
      skipped: skipped ?? "not measured",
      reqPerSec: null,
      p50Ms: null,
      p99Ms: null,
      failed: 0,
    };
  }
  return {
    database: kind,
    description: prepared.server.database,
    skipped: null,
    reqPerSec: summarize(runs.map((r) => r.okPerSec)),
    p50Ms: summarize(runs.map((r) => r.p50Ms)),
    p99Ms: summarize(runs.map((r) => r.p99Ms)),
    failed: sum(runs.map((r) => r.failed)),
  };
}

export async function runServerBench(
  settings: ServerBenchSettings,
  log: (line: string) => void,
): Promise<ServerBenchReport> {
  if (settings.databases.length === 0) throw new RangeError("no database to measure");
  const started = performance.now();
  const machine = describeMachine();
  const servers = new BenchServers();
  const prepared: PreparedServer[] = [];
  const skipped = new Map<DatabaseKind, string>();
  const rounds: RoundRecord[] = [];
  try {
    log(
      `bench:server — ${machine.cores} × ${machine.cpuModel}, load ${machine.loadAvg1m.toFixed(2)}; starting servers`,
    );
    // Started together: each server's cold start (PGlite ~3 s, PostgreSQL ~1 s) is mostly waiting.
    const settled = await Promise.allSettled(
      settings.databases.map((kind, index) =>
        servers.prepare({
          kind,
          // The first database serves the floods and the probes; the others only refresh chains.
          users: index === 0 ? settings.users : Math.min(settings.users, settings.refreshClients),
          sessions: settings.refreshClients,
          signInProbeWorkers: index === 0 ? settings.signInWorkers : 0,
          log,
        }),
      ),
    );
    for (const [index, outcome] of settled.entries()) {
      const kind = settings.databases[index]!;
      if (outcome.status === "fulfilled") {
        prepared.push(outcome.value);
        continue;
      }
      // Only PostgreSQL may be missing (no binaries on this machine); the first database must run.
      const message = (outcome.reason as Error).message;
      if (index === 0 || kind !== "postgres") throw outcome.reason;
      skipped.set(kind, message);
      log(`  ${kind}: skipped — ${message}`);
    }
    log("  warming up");
    await warmUp(prepared, settings);
    for (let round = 1; round <= settings.rounds; round++) {
      log(`  round ${round}/${settings.rounds}`);
      rounds.push(await runRound(prepared, settings, log));
    }
  } finally {
    await servers.stopAll();
  }

  const primary = prepared[0]!;
  const of = (pick: (round: RoundRecord) => number): SampleSummary => summarize(rounds.map(pick));
  const cpus = rounds.flatMap((r) => (r.loginCpu ? [{ ...r.loginCpu, verifyMs: r.verifyMs }] : []));
  const ofCpu = (pick: (cpu: LoginCpu & { verifyMs: number }) => number): SampleSummary | null =>
    cpus.length === 0 ? null : summarize(cpus.map(pick));
  const hashThreadShare = Math.min(1, primary.server.hashConcurrency / machine.availableParallelism);
  const login = {
    cores: machine.availableParallelism,
    hashConcurrency: primary.server.hashConcurrency,
    verifyMs: of((r) => r.verifyMs),
    verifyBlockingMs: of((r) => r.verifyBlockingMs),
    boundLoginsPerSec: of((r) => r.boundLoginsPerSec),
    parallelVerifiesPerSec: of((r) => r.parallelVerifiesPerSec),
    unknownEmailRatio: of((r) => r.unknownEmailRatio),
    loginsPerSec: of((r) => r.login.loginsPerSec),
    ratioToBound: of((r) => r.loginRatio),
    ratioToParallelVerify: of((r) => r.login.loginsPerSec / r.parallelVerifiesPerSec),
    mainThreadMsPerLogin: ofCpu((cpu) => cpu.mainMsPerLogin),
    otherThreadsMsPerLogin: ofCpu((cpu) => cpu.otherMsPerLogin),
    serverCoresBusy: ofCpu((cpu) => cpu.coresBusy),
    cpuCeiling: ofCpu((cpu) => cpu.verifyMs / (cpu.mainMsPerLogin + cpu.otherMsPerLogin)),
    hashThreadsCeiling: ofCpu((cpu) => Math.min(1, (hashThreadShare * cpu.verifyMs) / cpu.otherMsPerLogin)),
    non2xx: sum(rounds.map((r) => r.login.non2xx)),
    errors: sum(rounds.map((r) => r.login.errors)),
  };
  const userinfo = {
    ratePerSec: settings.userinfoRate,
    idleP50Ms: of((r) => r.userinfoIdle.p50Ms),
    idleP99Ms: of((r) => r.userinfoIdle.p99Ms),
    floodP50Ms: of((r) => r.userinfoFlood.p50Ms),
    floodP99Ms: of((r) => r.userinfoFlood.p99Ms),
    p99Ratio: of((r) => r.userinfoRatio),
    floodLoginsPerSec: of((r) => r.floodDuringProbe.loginsPerSec),
    failed: sum(rounds.map((r) => r.userinfoIdle.failed + r.userinfoFlood.failed)),
  };
  const signIn = {
    ratePerSec: settings.signInRate,
    idleP50Ms: of((r) => r.signInIdle.p50Ms),
    idleP99Ms: of((r) => r.signInIdle.p99Ms),
    floodP50Ms: of((r) => r.signInFlood.p50Ms),
    floodP99Ms: of((r) => r.signInFlood.p99Ms),
    p99Ratio: of((r) => r.signInRatio),
    p50Ratio: of((r) => r.signInFlood.p50Ms / r.signInIdle.p50Ms),
    floodRegistrationsPerSec: of((r) => r.registrationFlood.acceptedPerSec),
    registrations: {
      accepted: sum(rounds.map((r) => r.registrationFlood.accepted)),
      refused429: sum(rounds.map((r) => r.registrationFlood.refused429)),
      refused503: sum(rounds.map((r) => r.registrationFlood.refused503)),
      other: sum(rounds.map((r) => r.registrationFlood.other)),
    },
    failed: sum(rounds.map((r) => r.signInIdle.failed + r.signInFlood.failed)),
  };
  const refresh = settings.databases.map((kind) =>
    refreshSummary(
      kind,
      rounds,
      prepared.find((p) => p.kind === kind),
      skipped.get(kind) ?? null,
    ),
  );
  return {
    benchmark: "server",
    machine,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name, import.meta.url)])),
    settings,
    server: {
      hashConcurrency: primary.server.hashConcurrency,
      uvThreadpoolSize: primary.server.uvThreadpoolSize,
      database: primary.server.database,
    },
    results: { login, refresh, userinfo, signIn },
    rounds,
    targets: evaluateTargets({
      loginRatio: login.ratioToBound,
      loginsPerSec: login.loginsPerSec,
      boundLoginsPerSec: login.boundLoginsPerSec,
      loginCeiling:
        login.cpuCeiling && login.hashThreadsCeiling
          ? Math.min(login.cpuCeiling.median, login.hashThreadsCeiling.median)
          : null,
      userinfoRatio: userinfo.p99Ratio,
      idleP99Ms: userinfo.idleP99Ms,
      floodP99Ms: userinfo.floodP99Ms,
      unknownEmailRatio: login.unknownEmailRatio,
      signInRatio: signIn.p99Ratio,
      signInIdleP99Ms: signIn.idleP99Ms,
      signInFloodP99Ms: signIn.floodP99Ms,
    }),
    durationSec: (performance.now() - started) / 1000,
  };
}
