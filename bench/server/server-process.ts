// Starts the server under test in a child process (bench/server/server-child.ts) and talks to
// it over IPC. Its stdout and stderr go to our stderr: with --json, stdout carries exactly one
// JSON object. Every wait is bounded.

import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { nextMessage } from "../lib/child-message.js";

export interface ServerUnderTest {
  readonly url: string;
  readonly pid: number;
  /** Password hashes the server computes at once (SIGIL_HASH_CONCURRENCY as loaded). */
  readonly hashConcurrency: number;
  /** libuv's pool size in the server: file I/O, DNS and the calibration's raw verifies; not logins' hashing. */
  readonly uvThreadpoolSize: number;
  /** The database's own description, without credentials. */
  readonly database: string;
  /**
   * In the server's process, of `email`'s stored hash: `count` single argon2id verify times
   * (ms, one at a time) and how much of each blocked the event loop, then the rate of `count`
   * more run `parallel` at a time.
   */
  timeVerifies(
    credentials: { email: string; password: string },
    options: { count: number; parallel: number },
  ): Promise<VerifyTimings>;
  stop(): Promise<void>;
}

export interface VerifyTimings {
  readonly verifyMs: number[];
  /** Of each verify, the time before @node-rs/argon2's call returned its promise (main thread). */
  readonly blockingMs: number[];
  readonly parallelPerSec: number;
  /** Through the server's hasher, alternated: a verify of a wrong password, and of the dummy hash (an unknown email). */
  readonly wrongPasswordMs: number[];
  readonly unknownEmailMs: number[];
}

export interface ServerProcessOptions {
  /** A PostgreSQL URL; absent: embedded PGlite in a fresh temporary directory. */
  readonly databaseUrl?: string;
  /**
   * UV_THREADPOOL_SIZE of the child: libuv's pool, for file I/O and DNS. Password hashing does not
   * use it (the server has its own hash worker threads, SIGIL_HASH_CONCURRENCY of them).
   */
  readonly uvThreadpoolSize?: number;
  readonly startTimeoutMs?: number;
  /** Extra node flags for the server (e.g. --cpu-prof to see where a login's time goes). */
  readonly nodeFlags?: readonly string[];
}

/**
 * libuv's pool for the server: at least node's default of 4, and one more than cores. The server
 * hashes passwords on its own low-priority worker threads (packages/server/src/passwords/
 * hash-worker-pool.ts), so this does not set hash concurrency. It serves file I/O and DNS, and
 * the calibration in server-child.ts, whose raw verifies run on this pool: cores of them at once,
 * with a thread to spare.
 */
export function defaultThreadpoolSize(): number {
  return Math.max(4, availableParallelism() + 1);
}

/** Forks the server, waits until it listens on a free loopback port. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerUnderTest> {
  const dataDir = options.databaseUrl === undefined ? mkdtempSync(join(tmpdir(), "sigil-bench-")) : undefined;
  const child = fork(join(import.meta.dirname, "server-child.ts"), [], {
    execArgv: ["--conditions=sigil-source", "--import", "tsx", ...(options.nodeFlags ?? [])],
    env: {
      ...process.env,
      UV_THREADPOOL_SIZE: String(options.uvThreadpoolSize ?? defaultThreadpoolSize()),
      SIGIL_ENV: "development",
      SIGIL_HOST: "127.0.0.1",
      SIGIL_PORT: "0",
      SIGIL_ISSUER: "http://127.0.0.1:3000",
      SIGIL_LOG_LEVEL: "error",
      DATABASE_URL: options.databaseUrl ?? "",
      // The load generator is the server's only proxy: it names the client address in
      // X-Forwarded-For, so a flood can come from many addresses and a probe from its own.
      SIGIL_TRUST_PROXY: "127.0.0.1",
      // The registration quotas at their maxima: seeding registers every account from one
      // address, and the registration flood measures hashing contention, not the quota (which
      // would refuse it after 1,000 accounts an hour with the defaults).
      SIGIL_REGISTRATION_ADDRESS_LIMIT: "100000",
      SIGIL_REGISTRATION_LIMIT: "10000000",
      ...(dataDir === undefined ? {} : { SIGIL_DATA_DIR: dataDir }),
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  child.stdout?.pipe(process.stderr, { end: false });
  child.stderr?.pipe(process.stderr, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const cleanUp = (): void => {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: "stop" });
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killTimer);
    }
    cleanUp();
  };
  try {
    const ready = await nextMessage<{
      url: string;
      hashConcurrency: number;
      uvThreadpoolSize: number;
      database: string;
    }>(child, "server child", "listening", options.startTimeoutMs ?? 60_000);
    return {
      url: ready.url,
      pid: child.pid ?? 0,
      hashConcurrency: ready.hashConcurrency,
      uvThreadpoolSize: ready.uvThreadpoolSize,
      database: ready.database,
      async timeVerifies(credentials, options) {
        const reply = nextMessage<VerifyTimings>(child, "server child", "calibrated", 30_000 + options.count * 400);
        child.send({ type: "calibrate", ...credentials, ...options });
        const { verifyMs, blockingMs, parallelPerSec, wrongPasswordMs, unknownEmailMs } = await reply;
        return { verifyMs, blockingMs, parallelPerSec, wrongPasswordMs, unknownEmailMs };
      },
      stop,
    };
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    cleanUp();
    throw error;
  }
}
