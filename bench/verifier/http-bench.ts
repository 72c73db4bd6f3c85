// Requests per second on GET /profile, every approach in its own server process pinned to one
// core, all measured in the same run: rounds rotate the order of the servers and of the two
// modes, so drift of the shared machine lands on all of them alike.

import { join } from "node:path";
import { summarize } from "../lib/stats.js";
import type { Approach, ServerContext } from "./approaches.js";
import { type BenchChild, forkChild } from "./children.js";
import type { Fixtures } from "./fixtures.js";
import { type LoadMode, runLoad } from "./load.js";

export interface HttpSettings {
  readonly rounds: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly connections: number;
  /** CPU the servers are pinned to (undefined: not pinned). */
  readonly serverCpu: number | undefined;
  /** Extra node flags of the server processes (e.g. --cpu-prof). */
  readonly serverNodeFlags: readonly string[];
}

export interface ModeResult {
  /** Requests per second: the median over rounds, and each round's sample (in round order). */
  readonly rps: number;
  readonly rpsSamples: readonly number[];
  readonly spreadPct: number;
  /** Medians over rounds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * Server CPU time (user + system, all threads) per 2xx response, µs, median over rounds. Much
   * steadier than req/s when neighbours compete for the cores: it counts what the server spent,
   * not how long it waited for a core.
   */
  readonly cpuMicrosPerRequest: number;
  readonly cpuSamples: readonly number[];
  /** Non-2xx answers, errors and timeouts over all rounds (0 for a valid row). */
  readonly failures: number;
}

export interface ApproachResult extends Approach {
  readonly single: ModeResult;
  readonly pool: ModeResult;
}

export interface ServerEndpoint {
  readonly approach: Approach;
  readonly port: number;
  readonly child: BenchChild;
}

const MODES: readonly LoadMode[] = ["single", "pool"];

/** Starts every server child, pinned, and waits until each listens (its verifier ready). */
export async function startServers(
  approaches: readonly Approach[],
  context: Omit<ServerContext, "approach">,
  settings: HttpSettings,
): Promise<ServerEndpoint[]> {
  const started = approaches.map((approach) => {
    const child = forkChild(join(import.meta.dirname, "servers", "server-main.ts"), {
      env: { BENCH_SERVER: JSON.stringify({ ...context, approach: approach.id }), NODE_ENV: "production" },
      cpu: settings.serverCpu,
      nodeFlags: settings.serverNodeFlags,
    });
    return { approach, child, listening: child.next<{ type: string; port: number }>("listening", 60_000) };
  });
  const settled = await Promise.allSettled(started.map((s) => s.listening));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => s.child.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((s, i) => ({
    approach: s.approach,
    child: s.child,
    port: (settled[i] as PromiseFulfilledResult<{ port: number }>).value.port,
  }));
}

/** One request per case: the right subject for a good credential, 401 without one. A wrong answer is fatal. */
export async function validateServer(server: ServerEndpoint, fixtures: Fixtures): Promise<void> {
  const { approach, port } = server;
  const credentials = fixtures.credentials[approach.credential];
  const url = `http://127.0.0.1:${port}/profile`;
  const get = async (authorization?: string): Promise<{ status: number; sub?: string }> => {
    const response = await fetch(url, {
      headers: authorization ? { authorization } : {},
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { sub?: string };
    return { status: response.status, sub: body.sub };
  };
  const open = approach.id.endsWith("-none");
  const checks: Array<[string | undefined, number, string | undefined]> = [
    [`Bearer ${credentials.single}`, 200, open ? "anonymous" : "user-single"],
    [`Bearer ${credentials.pool[0]}`, 200, open ? "anonymous" : "user-0"],
  ];
  if (!open) checks.push([undefined, 401, undefined], ["Bearer not-a-credential", 401, undefined]);
  for (const [authorization, status, sub] of checks) {
    const answer = await get(authorization);
    if (answer.status !== status || (sub !== undefined && answer.sub !== sub)) {
      throw new Error(
        `${approach.id}: expected ${status} ${sub ?? ""}, got ${answer.status} ${answer.sub ?? ""} (${authorization === undefined ? "no credential" : "credential"})`,
      );
    }
  }
}

export async function measureHttp(
  servers: readonly ServerEndpoint[],
  fixtures: Fixtures,
  settings: HttpSettings,
  log: (line: string) => void,
): Promise<ApproachResult[]> {
  const cpuMicros = async (server: ServerEndpoint): Promise<number> => {
    const answer = server.child.next<{ type: string; micros: number }>("cpu", 5000);
    server.child.send({ type: "cpu" });
    return (await answer).micros;
  };
  // One position in the pool per server, carried across its warm-up and samples.
  const cursors = new Map(servers.map((server) => [server.approach.id, { next: 0 }]));
  const load = async (server: ServerEndpoint, mode: LoadMode, durationMs: number) => {
    const set = fixtures.credentials[server.approach.credential];
    const cpuBefore = await cpuMicros(server);
    const sample = await runLoad({
      port: server.port,
      mode,
      credentials: mode === "single" ? [set.single] : set.pool,
      cursor: cursors.get(server.approach.id) ?? { next: 0 },
      durationMs,
      connections: settings.connections,
    });
    const cpu = (await cpuMicros(server)) - cpuBefore;
    return { ...sample, cpuMicrosPerRequest: cpu / Math.max(1, sample.ok) };
  };
  for (const server of servers) {
    // Warm-up: the JIT optimises both paths (and the single token enters the caches) before any sample.
    for (const mode of MODES) await load(server, mode, settings.warmupMs / 2);
  }
  log(`http: warmed up ${servers.length} servers; ${settings.rounds} rounds of ${settings.durationMs} ms per mode`);
  type Sample = Awaited<ReturnType<typeof load>>;
  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(round + k) % servers.length]!;
      const modes = (round + k) % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of modes) {
        const key = `${server.approach.id}/${mode}`;
        const sample = await load(server, mode, settings.durationMs);
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      }
    }
    log(`http: round ${round + 1}/${settings.rounds} done`);
  }
  return servers.map(({ approach }) => {
    const summary = (mode: LoadMode): ModeResult => {
      const list = samples.get(`${approach.id}/${mode}`) ?? [];
      const rps = list.map((s) => s.rps);
      const stats = summarize(rps);
      const cpu = list.map((s) => s.cpuMicrosPerRequest);
      return {
        cpuMicrosPerRequest: summarize(cpu).median,
        cpuSamples: cpu,
        rps: stats.median,
        rpsSamples: rps,
        spreadPct: stats.spreadPct,
        p50Ms: summarize(list.map((s) => s.p50Ms)).median,
        p99Ms: summarize(list.map((s) => s.p99Ms)).median,
        failures: list.reduce((sum, s) => sum + s.failures, 0),
      };
    };
    return { ...approach, single: summary("single"), pool: summary("pool") };
  });
}
