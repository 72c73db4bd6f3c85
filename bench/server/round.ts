// One measurement round: hash bound, login flood, userinfo idle and under a flood, then the
// refresh chains on every database. Rounds repeat the same sequence so the per-round ratios
// (logins / bound, flood p99 / idle p99) pair numbers taken a few seconds apart.

import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { median, quantile } from "../lib/stats.js";
import type { PreparedServer } from "./bench-targets.js";
import type { ClosedLoopResult } from "./closed-loop.js";
import { type LoginFloodResult, startLoginFlood } from "./login-flood.js";
import { runRefreshChains } from "./refresh-chains.js";
import type { DatabaseKind, ServerBenchSettings } from "./settings.js";
import { cpuBetween, readThreadCpu } from "./thread-cpu.js";
import { runUserinfoProbe } from "./userinfo-probe.js";

export interface LatencyRun {
  readonly okPerSec: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Where a login's server CPU went during the flood (Linux only). */
export interface LoginCpu {
  /** Main-thread CPU per login: HTTP, JSON, token signing, and PGlite (which runs on it). */
  readonly mainMsPerLogin: number;
  /** All other threads' CPU per login: the argon2id verify on a hash worker thread, plus GC threads. */
  readonly otherMsPerLogin: number;
  /** Cores the server process kept busy on average. */
  readonly coresBusy: number;
}

export interface RoundRecord {
  /** Median single argon2id verify, ms. */
  readonly verifyMs: number;
  /** cores / verifyMs, logins per second. */
  readonly boundLoginsPerSec: number;
  /** Median main-thread (event-loop blocking) part of one verify call, ms. */
  readonly verifyBlockingMs: number;
  /** argon2id verifies per second, `cores` at a time, in the server process: what hashing gets now. */
  readonly parallelVerifiesPerSec: number;
  /** Median hasher time of an unknown-email login's dummy verify ÷ that of a wrong password's verify. */
  readonly unknownEmailRatio: number;
  readonly login: LoginFloodResult;
  readonly loginRatio: number;
  readonly loginCpu: LoginCpu | null;
  readonly userinfoIdle: LatencyRun;
  readonly userinfoFlood: LatencyRun;
  /** The flood that ran under the probe (informational). */
  readonly floodDuringProbe: LoginFloodResult;
  readonly userinfoRatio: number;
  readonly refresh: Partial<Record<DatabaseKind, LatencyRun>>;
}

export function latencyRun(result: ClosedLoopResult, what: string): LatencyRun {
  if (result.latenciesMs.length === 0) throw new Error(`${what}: no successful answer (${result.failed} failed)`);
  return {
    okPerSec: result.okPerSec,
    ok: result.ok,
    failed: result.failed,
    p50Ms: quantile(result.latenciesMs, 0.5),
    p99Ms: quantile(result.latenciesMs, 0.99),
  };
}

function probe(primary: PreparedServer, settings: ServerBenchSettings, durationMs: number): Promise<ClosedLoopResult> {
  return runUserinfoProbe({
    baseUrl: primary.server.url,
    accessTokens: primary.accessTokens,
    workers: settings.userinfoWorkers,
    ratePerSec: settings.userinfoRate,
    durationMs,
  });
}

function flood(
  primary: PreparedServer,
  settings: ServerBenchSettings,
  durationMs: number,
): ReturnType<typeof startLoginFlood> {
  return startLoginFlood({
    baseUrl: primary.server.url,
    users: primary.users,
    connections: settings.loginConnections,
    durationMs,
  });
}

function refresh(target: PreparedServer, durationMs: number): Promise<ClosedLoopResult> {
  // At most ~20k refreshes per chain per second of run: a bound, far above what a server does.
  return runRefreshChains({
    baseUrl: target.server.url,
    sessions: target.sessions,
    durationMs,
    maxPerClient: Math.ceil(durationMs * 20),
  });
}

/** Every load shape once, briefly, unrecorded. */
export async function warmUp(servers: readonly PreparedServer[], settings: ServerBenchSettings): Promise<void> {
  const primary = servers[0]!;
  await flood(primary, settings, settings.warmupMs).done;
  await probe(primary, settings, settings.warmupMs);
  for (const target of servers) await refresh(target, settings.warmupMs);
}

export async function runRound(
  servers: readonly PreparedServer[],
  settings: ServerBenchSettings,
  log: (line: string) => void,
): Promise<RoundRecord> {
  const primary = servers[0]!;
  const cores = availableParallelism();
  const timings = await primary.server.timeVerifies(primary.users[0]!, {
    count: settings.verifyCount,
    parallel: cores,
  });
  const verifyMs = median(timings.verifyMs);
  const boundLoginsPerSec = cores / (verifyMs / 1000);
  log(
    `    argon2id verify ${verifyMs.toFixed(2)} ms → bound ${boundLoginsPerSec.toFixed(0)} logins/s` +
      ` (${cores} in parallel: ${timings.parallelPerSec.toFixed(0)}/s;` +
      ` the call blocks the event loop ${(median(timings.blockingMs) * 1000).toFixed(0)} µs)`,
  );

  const cpuBefore = readThreadCpu(primary.server.pid);
  const login = await flood(primary, settings, settings.loginMs).done;
  const cpu = cpuBetween(cpuBefore, readThreadCpu(primary.server.pid));
  const loginCpu =
    cpu === null || login.ok === 0
      ? null
      : {
          mainMsPerLogin: cpu.mainMs / login.ok,
          otherMsPerLogin: cpu.otherMs / login.ok,
          coresBusy: (cpu.mainMs + cpu.otherMs) / (login.durationSec * 1000),
        };
  log(
    `    login flood ${login.loginsPerSec.toFixed(0)} logins/s (${login.non2xx} non-2xx, ${login.errors} errors)` +
      (loginCpu === null
        ? ""
        : `; server CPU per login: main thread ${loginCpu.mainMsPerLogin.toFixed(2)} ms,` +
          ` other threads ${loginCpu.otherMsPerLogin.toFixed(2)} ms; ${loginCpu.coresBusy.toFixed(2)} cores busy`),
  );

  const userinfoIdle = latencyRun(await probe(primary, settings, settings.userinfoMs), "userinfo idle");
  const background = flood(primary, settings, settings.floodLeadMs + settings.userinfoMs + 1000);
  let userinfoFlood: LatencyRun;
  try {
    await sleep(settings.floodLeadMs);
    userinfoFlood = latencyRun(await probe(primary, settings, settings.userinfoMs), "userinfo during flood");
  } finally {
    background.stop();
  }
  const floodDuringProbe = await background.done;
  log(
    `    userinfo p99 idle ${userinfoIdle.p99Ms.toFixed(2)} ms, during flood ${userinfoFlood.p99Ms.toFixed(2)} ms` +
      ` (flood ${floodDuringProbe.loginsPerSec.toFixed(0)} logins/s)`,
  );

  const refreshRuns: Partial<Record<DatabaseKind, LatencyRun>> = {};
  for (const target of servers) {
    const run = latencyRun(await refresh(target, settings.refreshMs), `refresh on ${target.kind}`);
    refreshRuns[target.kind] = run;
    log(
      `    refresh ${target.kind}: ${run.okPerSec.toFixed(0)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms`,
    );
  }
  return {
    verifyMs,
    boundLoginsPerSec,
    verifyBlockingMs: median(timings.blockingMs),
    parallelVerifiesPerSec: timings.parallelPerSec,
    unknownEmailRatio: median(timings.unknownEmailMs) / median(timings.wrongPasswordMs),
    login,
    loginRatio: login.loginsPerSec / boundLoginsPerSec,
    loginCpu,
    userinfoIdle,
    userinfoFlood,
    floodDuringProbe,
    userinfoRatio: userinfoFlood.p99Ms / userinfoIdle.p99Ms,
    refresh: refreshRuns,
  };
}
