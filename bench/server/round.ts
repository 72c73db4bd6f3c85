// One measurement round: hash bound, login flood, userinfo idle and under a login flood, sign-in
// idle and under a registration flood, then the refresh chains on every database. Rounds repeat
// the same sequence so the per-round ratios (logins / bound, flood p99 / idle p99) pair numbers
// taken a few seconds apart.

import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { median, quantile } from "../lib/stats.js";
import type { PreparedServer } from "./bench-targets.js";
import type { ClosedLoopResult } from "./closed-loop.js";
import { waitForIdleHashing } from "./hashing-idle.js";
import { type LoginFloodResult, startLoginFlood } from "./login-flood.js";
import { runRefreshChains } from "./refresh-chains.js";
import { type RegistrationFloodResult, startRegistrationFlood } from "./registration-flood.js";
import type { DatabaseKind, ServerBenchSettings } from "./settings.js";
import { runSignInProbe } from "./sign-in-probe.js";
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
  /** The sign-in probe alone, and while registrations flood the hasher. */
  readonly signInIdle: LatencyRun;
  readonly signInFlood: LatencyRun;
  /** The registration flood that ran under the sign-in probe. */
  readonly registrationFlood: RegistrationFloodResult;
  readonly signInRatio: number;
  readonly refresh: Partial<Record<DatabaseKind, LatencyRun>>;
}

/** The longest wait for the hasher to drain before an idle sign-in measurement. */
const SETTLE_TIMEOUT_MS = 10_000;

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

function signIn(primary: PreparedServer, settings: ServerBenchSettings, durationMs: number): Promise<ClosedLoopResult> {
  if (primary.signInProbe === null) throw new Error("the first server has no sign-in probe account");
  return runSignInProbe({
    baseUrl: primary.server.url,
    account: primary.signInProbe,
    ratePerSec: settings.signInRate,
    durationMs,
  });
}

function registrationFlood(
  primary: PreparedServer,
  settings: ServerBenchSettings,
  durationMs: number,
): ReturnType<typeof startRegistrationFlood> {
  return startRegistrationFlood({
    baseUrl: primary.server.url,
    connections: settings.registrationConnections,
    addresses: settings.registrationAddresses,
    durationMs,
  });
}

/**
 * Runs `measure` while a background flood runs: the flood is started for longer than needed
 * (`leadMs` to saturate hashing, then the measurement, then a second to spare) and stopped as
 * soon as the measurement is over, whatever its outcome.
 */
async function underFlood<F>(
  start: (durationMs: number) => { done: Promise<F>; stop(): void },
  leadMs: number,
  measureMs: number,
  measure: () => Promise<LatencyRun>,
): Promise<{ run: LatencyRun; flood: F }> {
  const background = start(leadMs + measureMs + 1000);
  let run: LatencyRun;
  try {
    await sleep(leadMs);
    run = await measure();
  } finally {
    background.stop();
  }
  return { run, flood: await background.done };
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
  await registrationFlood(primary, settings, settings.warmupMs).done;
  await signIn(primary, settings, settings.warmupMs);
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
  const { run: userinfoFlood, flood: floodDuringProbe } = await underFlood(
    (durationMs) => flood(primary, settings, durationMs),
    settings.floodLeadMs,
    settings.userinfoMs,
    async () => latencyRun(await probe(primary, settings, settings.userinfoMs), "userinfo during flood"),
  );
  log(
    `    userinfo p99 idle ${userinfoIdle.p99Ms.toFixed(2)} ms, during flood ${userinfoFlood.p99Ms.toFixed(2)} ms` +
      ` (flood ${floodDuringProbe.loginsPerSec.toFixed(0)} logins/s)`,
  );

  // The login flood above has just been stopped: its last logins may still be hashing.
  const settledMs = await waitForIdleHashing(primary.server.url, SETTLE_TIMEOUT_MS);
  if (settledMs === null) log(`    hashing still busy after ${SETTLE_TIMEOUT_MS} ms; sign-in idle measured anyway`);
  const signInIdle = latencyRun(await signIn(primary, settings, settings.signInMs), "sign-in idle");
  const { run: signInFlood, flood: registrations } = await underFlood(
    (durationMs) => registrationFlood(primary, settings, durationMs),
    settings.floodLeadMs,
    settings.signInMs,
    async () => latencyRun(await signIn(primary, settings, settings.signInMs), "sign-in during registration flood"),
  );
  log(
    `    sign-in p50/p99 idle ${signInIdle.p50Ms.toFixed(2)}/${signInIdle.p99Ms.toFixed(2)} ms` +
      (settledMs === null ? "" : ` (after ${settledMs.toFixed(0)} ms for hashing to drain)`) +
      "," +
      ` during registration flood ${signInFlood.p50Ms.toFixed(2)}/${signInFlood.p99Ms.toFixed(2)} ms` +
      ` (${registrations.acceptedPerSec.toFixed(0)} registrations/s: ${registrations.accepted} accepted,` +
      ` ${registrations.refused429} refused 429, ${registrations.refused503} refused 503, ${registrations.other} other)`,
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
    signInIdle,
    signInFlood,
    registrationFlood: registrations,
    signInRatio: signInFlood.p99Ms / signInIdle.p99Ms,
    refresh: refreshRuns,
  };
}
