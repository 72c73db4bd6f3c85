// bench:verifier — one run: the stores, the real auth server, a server process per approach
// (HTTP throughput), then revocation propagation to 4 verifier processes, then mirror memory,
// then the parse time of a large feed snapshot.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBinaries } from "@sigil/server/testing";
import { describeMachine, type MachineInfo, packageVersion } from "../lib/machine.js";
import { APPROACHES, type ApproachId } from "./approaches.js";
import { type BenchChild, forkChild, pinToCpu } from "./children.js";
import { createFixtures } from "./fixtures.js";
import { type ApproachResult, type HttpSettings, measureHttp, startServers, validateServer } from "./http-bench.js";
import { type MemoryResult, measureMirrorMemory } from "./memory.js";
import { measureSnapshotParse, type ParseResult } from "./parse.js";
import { type AuthServerInfo, measurePropagation, type PropagationResult } from "./propagation.js";
import {
  freePort,
  type RunningPostgres,
  type RunningRedis,
  redisVersion,
  startRedis,
  startSessionPostgres,
} from "./stores.js";
import { evaluateTargets, type TargetReport } from "./targets.js";

export interface BenchSettings extends Omit<HttpSettings, "serverCpu"> {
  readonly approaches: readonly ApproachId[];
  readonly poolSize: number;
  readonly probes: number;
  readonly propagationRounds: number;
  readonly memoryEntries: number;
  /** Characters of the snapshot line whose parse is timed (4 MiB), arriving in 16 KiB chunks. */
  readonly parseBytes: number;
  /** Pin each server to CPU 0 and the load generator to CPU 1 (when the machine has 2+ CPUs). */
  readonly pin: boolean;
}

export const DEFAULT_SETTINGS: BenchSettings = {
  approaches: APPROACHES.map((a) => a.id),
  rounds: 3,
  durationMs: 5000,
  warmupMs: 2000,
  connections: 64,
  poolSize: 10_000,
  probes: 4,
  propagationRounds: 50,
  memoryEntries: 100_000,
  parseBytes: 4 * 2 ** 20,
  pin: true,
  serverNodeFlags: [],
};

/** About 40 s: every approach and measurement, two short rounds. Numbers are indicative only. */
export const QUICK_SETTINGS: BenchSettings = {
  ...DEFAULT_SETTINGS,
  rounds: 2,
  durationMs: 500,
  warmupMs: 400,
  propagationRounds: 20,
};

export interface VerifierBenchReport {
  readonly benchmark: "verifier";
  readonly machine: MachineInfo;
  readonly versions: Readonly<Record<string, string>>;
  readonly settings: BenchSettings;
  /** How the run was set up, in sentences (what the numbers mean). */
  readonly notes: readonly string[];
  readonly skipped: readonly { id: string; reason: string }[];
  readonly http: readonly ApproachResult[];
  readonly propagation: PropagationResult;
  readonly memory: MemoryResult;
  readonly parse: ParseResult;
  readonly targets: TargetReport;
  readonly durationSec: number;
}

interface Infrastructure {
  redis?: RunningRedis;
  postgres?: RunningPostgres;
  auth?: BenchChild;
  dataDir?: string;
}

async function startAuthServer(infra: Infrastructure, port: number): Promise<AuthServerInfo> {
  const issuer = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    SIGIL_ENV: "development",
    SIGIL_ISSUER: issuer,
    SIGIL_HOST: "127.0.0.1",
    SIGIL_PORT: String(port),
    SIGIL_LOG_LEVEL: "error",
    SIGIL_REGISTRATION_ENABLED: "true",
  };
  if (infra.postgres) env.DATABASE_URL = infra.postgres.authUrl;
  else {
    infra.dataDir = mkdtempSync(join(tmpdir(), "sigil-bench-auth-"));
    env.SIGIL_DATA_DIR = infra.dataDir;
    env.DATABASE_URL = "";
  }
  infra.auth = forkChild(join(import.meta.dirname, "auth-server-main.ts"), { env });
  const info = await infra.auth.next<{
    type: string;
    url: string;
    feedUrl: string;
    clientId: string;
    clientSecret: string;
  }>("listening", 60_000);
  return { url: info.url, feedUrl: info.feedUrl, issuer, clientId: info.clientId, clientSecret: info.clientSecret };
}

export async function runVerifierBench(
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<VerifierBenchReport> {
  const startedAt = performance.now();
  const machine = describeMachine();
  const pinned = settings.pin && machine.availableParallelism >= 2 && pinToCpu(process.pid, 1);
  const skipped: { id: string; reason: string }[] = [];
  const wanted = (id: ApproachId): boolean => settings.approaches.includes(id);
  const infra: Infrastructure = {};
  try {
    // The issuer (the auth server's URL) is in every token, so its port is chosen first.
    const authPort = await freePort();
    const fixtures = await createFixtures({ issuer: `http://127.0.0.1:${authPort}`, poolSize: settings.poolSize });
    if (wanted("fastify-redis-session")) {
      if (redisVersion() === null)
        skipped.push({ id: "fastify-redis-session", reason: "redis-server is not installed" });
      else infra.redis = await startRedis(fixtures.sessionSubjects);
    }
    if (findPostgresBinaries()) infra.postgres = await startSessionPostgres(fixtures.sessionSubjects);
    else if (wanted("fastify-postgres-session")) {
      skipped.push({ id: "fastify-postgres-session", reason: "PostgreSQL binaries not found" });
    }
    const approaches = APPROACHES.filter((a) => wanted(a.id) && !skipped.some((s) => s.id === a.id));
    const auth = await startAuthServer(infra, authPort);
    log(
      `auth server ${auth.url} on ${infra.postgres ? "PostgreSQL" : "PGlite"}; ${settings.poolSize} tokens per credential`,
    );
    const context = {
      ...fixtures.context,
      feed: { url: auth.feedUrl, clientId: auth.clientId, clientSecret: auth.clientSecret },
      redisPort: infra.redis?.port,
      postgresUrl: infra.postgres?.sessionsUrl,
    };
    const httpSettings: HttpSettings = { ...settings, serverCpu: pinned ? 0 : undefined };
    const servers = await startServers(approaches, context, httpSettings);
    let http: ApproachResult[];
    try {
      for (const server of servers) await validateServer(server, fixtures);
      log(
        `http: ${servers.length} servers validated${pinned ? " (each pinned to CPU 0, load generator on CPU 1)" : ""}`,
      );
      http = await measureHttp(servers, fixtures, httpSettings, log);
    } finally {
      await Promise.all(servers.map((server) => server.child.stop()));
    }
    const propagation = await measurePropagation(
      auth,
      { probes: settings.probes, rounds: settings.propagationRounds },
      log,
    );
    log(`memory: a revocation mirror holding ${settings.memoryEntries} revoked sessions`);
    const memory = await measureMirrorMemory(settings.memoryEntries);
    log(`parse: a ${settings.parseBytes}-character snapshot line in 16 KiB chunks`);
    const parse = measureSnapshotParse({ bytes: settings.parseBytes, chunkBytes: 16 * 1024, rounds: 5 });
    return {
      benchmark: "verifier",
      machine,
      versions: collectVersions(infra),
      settings,
      notes: describeSetup({ pinned, authStore: infra.postgres ? "PostgreSQL" : "PGlite", settings }),
      skipped,
      http,
      propagation,
      memory,
      parse,
      targets: evaluateTargets({ http, propagation, memory, parse }),
      durationSec: (performance.now() - startedAt) / 1000,
    };
  } finally {
    await infra.auth?.stop();
    await infra.redis?.stop();
    await infra.postgres?.stop();
    if (infra.dataDir) rmSync(infra.dataDir, { recursive: true, force: true });
  }
}

function collectVersions(infra: Infrastructure): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of [
    "fastify",
    "@fastify/jwt",
    "fast-jwt",
    "express",
    "express-jwt",
    "jsonwebtoken",
    "autocannon",
    "pg",
  ]) {
    versions[name] = packageVersion(name, import.meta.url);
  }
  versions.redis = infra.redis?.version ?? "not run";
  versions.postgresql = infra.postgres?.version ?? "not run";
  return versions;
}

function describeSetup(facts: { pinned: boolean; authStore: string; settings: BenchSettings }): string[] {
  const { settings } = facts;
  return [
    `Every server runs in its own process${facts.pinned ? ", pinned to CPU 0; autocannon runs in the parent, pinned to CPU 1" : " (not pinned)"}; loopback only; ${settings.connections} connections, no pipelining.`,
    `"single": one credential on every request; "pool": ${settings.poolSize} distinct credentials, each request taking the next across all connections, so a credential returns only after ${settings.poolSize} others (Sigil's verified-token cache holds at most 10,000 in two generations).`,
    "Sigil rows marked 'revocation on' verify with a mirror subscribed to the real auth server's feed (the product's configuration); the revocation check runs on every request after the cache.",
    "Tokens are signed by the bench (EdDSA and HS256 keys given to the verifiers as fixed keys), with the RFC 9068 claims and a sid; 10,000 logins would cost 10,000 argon2id hashes.",
    "@fastify/jwt and express-jwt check alg, iss and aud like Sigil; @fastify/jwt runs with its defaults (no verified-token cache); express-jwt gets a KeyObject secret (a string secret costs ~280 µs per call in jsonwebtoken 9).",
    "Session rows: a 256-bit random session id, looked up on every request (Redis GET over one pipelined connection of a minimal RESP client; PostgreSQL primary-key SELECT, prepared, pg pool of 16).",
    `Propagation: ${settings.probes} verifier processes (keys and feed discovered from the issuer, auth server on ${facts.authStore}); times are CLOCK_MONOTONIC (process.hrtime), shared by all processes.`,
    "In pool mode autocannon builds every request anew (setupRequest), which caps what one load core sends (about 50k req/s here): the pool-mode ceiling row measures that cap, not fastify's; rows far below it are unaffected.",
    `Rounds: ${settings.rounds} × ${settings.durationMs} ms per server and mode, order rotated each round; medians reported, spread = (max-min)/median.`,
  ];
}
