// One hashing lane on its own thread: says "ready", waits for "go", verifies one hash `count`
// times, one after another, and says "done". The start signal lets every lane of a parallel run
// begin together, with thread start-up left out of the timing. Plain JavaScript so that a worker
// loads it without a TypeScript loader. Run by bench/argon2/bench.ts.

import { parentPort, workerData } from "node:worker_threads";
import { verifySync } from "@node-rs/argon2";

const { hash, password, count } = workerData;
parentPort.once("message", () => {
  for (let i = 0; i < count; i++) {
    if (!verifySync(hash, password)) throw new Error("argon2 lane: the password was refused");
  }
  parentPort.postMessage("done");
});
parentPort.postMessage("ready");
