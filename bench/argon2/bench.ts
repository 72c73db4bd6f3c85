// `npm run bench:argon2`: for each of OWASP's equally strong argon2id parameter sets, the time of
// one verify and how well verifies scale across the machine's cores. The password-hash bound of
// bench:server (cores / one verify) assumes perfect scaling; on a small server, concurrent hashes
// contend for the shared L3 cache, and how much depends on the memory each one holds. This is
// the measurement behind Sigil's choice of m = 12 MiB, t = 3 (packages/server/src/passwords).

import { Worker } from "node:worker_threads";
import { hashSync } from "@node-rs/argon2";
import { OWASP_ARGON2ID_MINIMUMS } from "@sigil/server";
import { describeMachine, type MachineInfo, packageVersion } from "../lib/machine.js";
import { pairedRatio, type SampleSummary, summarize } from "../lib/stats.js";

export interface Argon2BenchSettings {
  readonly rounds: number;
  /** Verifies per lane per measurement. */
  readonly verifies: number;
  /** Lanes run at once in the parallel measurement; the machine's cores by default. */
  readonly lanes: number;
}

export interface Argon2SetResult {
  readonly memoryKiB: number;
  readonly passes: number;
  /** Whether Sigil hashes new passwords with this set. */
  readonly sigilDefault: boolean;
  readonly singleVerifyMs: SampleSummary;
  /** lanes / single verify time: what perfect scaling would give. */
  readonly boundPerSec: SampleSummary;
  readonly parallelPerSec: SampleSummary;
  /** parallel rate ÷ bound, paired per round. */
  readonly scaling: number;
}

export interface Argon2BenchReport {
  readonly benchmark: "argon2";
  readonly machine: MachineInfo;
  readonly packages: Record<string, string>;
  readonly settings: Argon2BenchSettings;
  readonly results: Argon2SetResult[];
  readonly durationSec: number;
}

const PASSWORD = "correct horse battery staple";

/**
 * Starts `lanes` threads, lets them all begin at once, and resolves with the wall time (ms) from
 * that start until the last finished its `count` verifies.
 */
async function runLanes(hash: string, lanes: number, count: number): Promise<number> {
  const workers = Array.from(
    { length: lanes },
    // No inherited --import tsx: the lane is plain JavaScript and starts faster without it.
    () =>
      new Worker(new URL("./lane.mjs", import.meta.url), {
        workerData: { hash, password: PASSWORD, count },
        execArgv: [],
      }),
  );
  const next = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      worker.once("error", onError);
      worker.once("message", () => {
        worker.off("error", onError);
        resolve();
      });
    });
  try {
    await Promise.all(workers.map(next));
    const started = performance.now();
    const finished = Promise.all(workers.map(next));
    for (const worker of workers) worker.postMessage("go");
    await finished;
    return performance.now() - started;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

export async function runArgon2Bench(
  settings: Argon2BenchSettings,
  sigilDefault: { readonly memoryCost: number; readonly timeCost: number },
  log: (line: string) => void,
): Promise<Argon2BenchReport> {
  const started = performance.now();
  const results: Argon2SetResult[] = [];
  for (const set of OWASP_ARGON2ID_MINIMUMS) {
    const hash = hashSync(PASSWORD, { memoryCost: set.memoryCost, timeCost: set.timeCost, parallelism: 1 });
    await runLanes(hash, 1, 2); // warm-up: thread start, page faults of the first allocation
    const singleMs: number[] = [];
    const parallelPerSec: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      singleMs.push((await runLanes(hash, 1, settings.verifies)) / settings.verifies);
      const wallMs = await runLanes(hash, settings.lanes, settings.verifies);
      parallelPerSec.push((settings.lanes * settings.verifies * 1000) / wallMs);
    }
    const bound = singleMs.map((ms) => (settings.lanes * 1000) / ms);
    const result: Argon2SetResult = {
      memoryKiB: set.memoryCost,
      passes: set.timeCost,
      sigilDefault: set.memoryCost === sigilDefault.memoryCost && set.timeCost === sigilDefault.timeCost,
      singleVerifyMs: summarize(singleMs),
      boundPerSec: summarize(bound),
      parallelPerSec: summarize(parallelPerSec),
      scaling: pairedRatio(parallelPerSec, bound),
    };
    log(
      `  m=${set.memoryCost} t=${set.timeCost}: one verify ${result.singleVerifyMs.median.toFixed(2)} ms, ` +
        `${settings.lanes} lanes ${result.parallelPerSec.median.toFixed(0)}/s = ${result.scaling.toFixed(2)} of ${settings.lanes} × single`,
    );
    results.push(result);
  }
  return {
    benchmark: "argon2",
    machine: describeMachine(),
    packages: { "@node-rs/argon2": packageVersion("@node-rs/argon2", import.meta.url) },
    settings,
    results,
    durationSec: (performance.now() - started) / 1000,
  };
}
