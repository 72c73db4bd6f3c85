// The session stores of the baselines: a throw-away redis-server and PostgreSQL server on
// loopback, seeded with the same session ids the load generator sends.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, startTestPostgres, type TestPostgres } from "@sigil/server/testing";
import pg from "pg";
import { SESSION_KEY_PREFIX } from "./approaches.js";
import { connectRESP } from "./servers/resp-client.js";

export interface RunningRedis {
  readonly port: number;
  readonly version: string;
  stop(): Promise<void>;
}

// bench.ts picks the auth server's port with it too.
export { freePort };

/** redis-server --version, or null when it is not installed. */
export function redisVersion(): string | null {
  const result = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (result.status !== 0) return null;
  return /v=(\S+)/.exec(result.stdout)?.[1] ?? "unknown";
}

/** Starts redis-server without persistence on a free loopback port and stores `sessions` (id -> subject). */
export async function startRedis(sessions: ReadonlyMap<string, string>): Promise<RunningRedis> {
  const version = redisVersion();
  if (version === null) throw new Error("redis-server is not installed");
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    { stdio: "ignore" },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", () => child.kill("SIGKILL"));
  try {
    let client: Awaited<ReturnType<typeof connectRESP>> | undefined;
    for (let attempt = 0; attempt < 100 && client === undefined; attempt++) {
      client = await connectRESP(port).catch(() => undefined);
      if (client === undefined) await sleep(50);
    }
    if (client === undefined) throw new Error("redis-server did not start within 5 s");
    // Pipelined in batches: one round trip per 1,000 keys.
    const entries = [...sessions];
    for (let i = 0; i < entries.length; i += 1000) {
      await Promise.all(
        entries.slice(i, i + 1000).map(([id, sub]) => client.command("SET", SESSION_KEY_PREFIX + id, sub)),
      );
    }
    client.close();
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, version, stop };
}

export interface RunningPostgres {
  /** The database holding the `sessions` table of the baseline. */
  readonly sessionsUrl: string;
  /** An empty database for the auth server. */
  readonly authUrl: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** Starts PostgreSQL (test support), creates the sessions table with `sessions`, and an auth database. */
export async function startSessionPostgres(sessions: ReadonlyMap<string, string>): Promise<RunningPostgres> {
  const server: TestPostgres = await startTestPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const version = String(
      (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ?? "unknown",
    );
    await admin.query("CREATE DATABASE bench_sessions");
    await admin.query("CREATE DATABASE bench_auth");
    await admin.end();
    const db = new pg.Client({ connectionString: server.urlFor("bench_sessions") });
    await db.connect();
    await db.query("CREATE TABLE sessions (id text PRIMARY KEY, subject text NOT NULL)");
    await db.query("INSERT INTO sessions (id, subject) SELECT * FROM unnest($1::text[], $2::text[])", [
      [...sessions.keys()],
      [...sessions.values()],
    ]);
    await db.query("ANALYZE sessions");
    await db.end();
    return {
      sessionsUrl: server.urlFor("bench_sessions"),
      authUrl: server.urlFor("bench_auth"),
      version,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
