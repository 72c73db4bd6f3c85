// One password-hashing thread of the pool in hash-worker-pool.ts. It takes one job at a time and
// runs it synchronously: the thread is there only to hash, so blocking it costs nothing, and the
// sync calls skip a second hop through libuv's pool.

import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { hashSync as argon2Hash, verifySync as argon2Verify } from "@node-rs/argon2";
import { verifySync as bcryptVerify } from "@node-rs/bcrypt";
import { ARGON2_OPTIONS } from "./argon2-params.js";
import type { HashJob, HashJobResult } from "./hash-job.js";

/**
 * Linux nice value of this thread. Hashing lowers its own priority so that, when a login flood
 * keeps every core busy, the scheduler still runs the event loop first: a login's latency is
 * dominated by its hash anyway (a few ms more wait changes little), while token checks, refreshes
 * and health probes on the event loop must not starve behind hashes (issue 3: a flood of logins
 * must not stall token checks). Throughput is unchanged: nice only decides who runs first when
 * the cores are contended; an idle core still takes the hash.
 */
const HASH_THREAD_NICE = 10;

/**
 * On Linux a nice value belongs to a thread (setpriority(2) with a thread id), and
 * /proc/thread-self names this thread ("<pid>/task/<tid>"). Elsewhere, or if refused, the thread
 * keeps the process's priority: correct, only less fair under a flood.
 */
function lowerOwnPriority(): void {
  if (process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, HASH_THREAD_NICE);
  } catch {
    // Not fatal: see above.
  }
}

function run(job: HashJob): boolean | string {
  switch (job.op) {
    case "hash":
      return argon2Hash(job.password, ARGON2_OPTIONS);
    case "verifyArgon2":
      return argon2Verify(job.hash, job.password);
    case "verifyBcrypt":
      return bcryptVerify(job.password, job.hash);
  }
}

lowerOwnPriority();
const port = parentPort;
if (port === null) throw new Error("hash-worker.ts runs as a worker thread (see hash-worker-pool.ts)");
port.on("message", (job: HashJob) => {
  let result: HashJobResult;
  try {
    result = { ok: true, value: run(job) };
  } catch (error) {
    // Only the message crosses: the error of a native binding never holds the password.
    result = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(result);
});
