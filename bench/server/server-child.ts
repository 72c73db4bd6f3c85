// The server under test, in its own process: the real `sigil serve` (configuration from the
// environment, UV_THREADPOOL_SIZE set by the parent before node started), so the load generator
// never shares its event loop, its hash worker threads or its libuv pool. The server hashes
// passwords on its own worker threads; libuv's pool serves file I/O and DNS, and the calibration
// below. Talks to the parent over IPC:
//   → {type: "listening", url, hashConcurrency, uvThreadpoolSize, database}
//   ← {type: "calibrate", email, password, count, parallel}
//   → {type: "calibrated", verifyMs: number[], blockingMs: number[], parallelPerSec: number,
//      wrongPasswordMs: number[], unknownEmailMs: number[]}
//   ← {type: "stop"}

import { performance } from "node:perf_hooks";
import { verify as argon2Verify } from "@node-rs/argon2";
import { loadConfig, startServer } from "@sigil/server";

interface CalibrateMessage {
  type: "calibrate";
  email: string;
  password: string;
  count: number;
  parallel: number;
}

if (process.send === undefined) throw new Error("bench/server/server-child.ts is run by bench/server (IPC)");
const send = (message: object): void => {
  if (process.connected) process.send?.(message);
};

/**
 * Times `count` argon2id verifies, one at a time, of the hash the server itself stored for
 * `email`: the same parameters and process as a login, without HTTP or the queue. These are raw
 * @node-rs/argon2 calls on libuv's pool at normal priority, not the server's hash worker threads
 * (low priority, plus a message each way): a deliberately strict bound, which a login through the
 * server can only approach. Then `count` more, `parallel` at a time: the hashing rate this machine
 * gives right now (on a shared machine, less than cores × the single rate).
 */
async function timeVerifies(
  running: Awaited<ReturnType<typeof startServer>>,
  message: CalibrateMessage,
): Promise<{
  verifyMs: number[];
  blockingMs: number[];
  parallelPerSec: number;
  wrongPasswordMs: number[];
  unknownEmailMs: number[];
}> {
  const rows = await running.db.query<{ hash: string }>(
    "SELECT password_hash AS hash FROM users WHERE email_normalized = $1",
    [message.email.toLowerCase()],
  );
  const hash = rows.rows[0]?.hash;
  if (hash === undefined) throw new Error(`no stored hash for ${message.email}`);
  const password = message.password.normalize("NFC");
  const check = async (): Promise<void> => {
    if (!(await argon2Verify(hash, password))) throw new Error("calibration password refused");
  };
  const verifyMs: number[] = [];
  const blockingMs: number[] = [];
  const count = Math.min(Math.max(1, message.count), 1000);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const pending = argon2Verify(hash, password);
    // The part of an "async" verify spent on this thread before it returns: the event loop
    // (every other request) waits that long for each login.
    blockingMs.push(performance.now() - started);
    if (!(await pending)) throw new Error("calibration password refused");
    verifyMs.push(performance.now() - started);
  }
  let left = count;
  const lane = async (): Promise<void> => {
    while (left-- > 0) await check();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(Math.max(1, message.parallel), 64) }, lane));
  const parallelPerSec = (count / (performance.now() - started)) * 1000;
  // What a login costs the server's hasher for a wrong password and for an unknown email (a
  // verify against the dummy hash), alternated one at a time: the two must cost the same, or
  // timing tells an attacker which emails have accounts.
  const { hasher } = running.context;
  const wrongPasswordMs: number[] = [];
  const unknownEmailMs: number[] = [];
  const time = async (work: () => Promise<boolean>, into: number[]): Promise<void> => {
    const begun = performance.now();
    if (await work()) throw new Error("a wrong password was accepted");
    into.push(performance.now() - begun);
  };
  for (let i = 0; i < count; i++) {
    await time(() => hasher.verify(hash, `${password} (wrong)`), wrongPasswordMs);
    await time(() => hasher.verifyDummy(`${password} (wrong)`), unknownEmailMs);
  }
  return { verifyMs, blockingMs, parallelPerSec, wrongPasswordMs, unknownEmailMs };
}

try {
  const config = loadConfig(process.env);
  const running = await startServer(config, { handleSignals: false, print: () => {} });
  const stop = (): void => {
    void running.close().finally(() => process.exit(0));
  };
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stop") stop();
    if (message.type === "calibrate") {
      timeVerifies(running, message as CalibrateMessage).then(
        (timings) => send({ type: "calibrated", ...timings }),
        (error: unknown) => send({ type: "failed", message: (error as Error).stack ?? String(error) }),
      );
    }
  });
  process.on("disconnect", stop);
  send({
    type: "listening",
    url: running.url,
    hashConcurrency: config.hashConcurrency,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    database: running.db.description,
  });
} catch (error) {
  send({ type: "failed", message: (error as Error).stack ?? String(error) });
  process.exit(1);
}
