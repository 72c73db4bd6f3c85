// Interleaved sampling. On a small shared machine the available CPU drifts over seconds
// (neighbours, thermal limits), so measuring implementation A for five seconds and then B
// for five seconds compares two different machines. Instead every sample round runs one
// fixed-size batch of every case, in a rotated order, so drift lands on all of them alike
// and the ratios measured within one run stay meaningful.

import { performance } from "node:perf_hooks";

/** One thing to time. `run(n)` performs n operations; it may be async (e.g. WebCrypto). */
export interface BenchCase {
  readonly id: string;
  run(iterations: number): unknown;
}

export interface SamplerOptions {
  /** Samples per case (each one timed batch). */
  readonly samples: number;
  /** Target wall time of one batch, in milliseconds. */
  readonly sampleMs: number;
  /** Warm-up per case, in milliseconds; also used to size the batches. */
  readonly warmupMs: number;
  /** Called between rounds, e.g. to report progress on stderr. */
  readonly onRound?: (round: number, of: number) => void;
}

/** Operations per second of each sample, per case id. */
export type SampleSet = Map<string, number[]>;

// Hard bounds so a mis-sized case cannot run away with the machine.
const MAX_BATCH = 1 << 24;
const MAX_WARMUP_STEPS = 64;

async function timeBatch(benchCase: BenchCase, iterations: number): Promise<number> {
  const start = performance.now();
  const result = benchCase.run(iterations);
  if (result instanceof Promise) await result;
  return performance.now() - start;
}

/**
 * Runs a case with doubling batch sizes until it has been warm for `warmupMs`, and returns
 * the batch size that should take about `sampleMs`. The warm-up gives the JIT time to
 * optimise the hot path before any measured sample.
 */
export async function calibrate(benchCase: BenchCase, options: SamplerOptions): Promise<number> {
  const started = performance.now();
  let iterations = 1;
  let lastRate = 0;
  for (let step = 0; step < MAX_WARMUP_STEPS; step++) {
    const elapsed = await timeBatch(benchCase, iterations);
    // Rates from batches shorter than ~1 ms are mostly timer noise; keep the last good one.
    if (elapsed > 1 || lastRate === 0) lastRate = iterations / Math.max(elapsed, 0.001);
    if (performance.now() - started >= options.warmupMs && elapsed > 1) break;
    if (elapsed < options.warmupMs / 4 && iterations < MAX_BATCH) iterations *= 2;
  }
  return Math.min(MAX_BATCH, Math.max(1, Math.round(lastRate * options.sampleMs)));
}

function collectGarbage(): void {
  // Only when node runs with --expose-gc: starts each batch without another case's garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === "function") gc();
}

/**
 * Warms up and sizes every case, then takes `samples` rounds; round r runs the cases
 * starting at index r (round-robin rotation) so no case always follows the same neighbour.
 */
export async function sampleInterleaved(cases: readonly BenchCase[], options: SamplerOptions): Promise<SampleSet> {
  if (!(options.samples >= 1)) throw new RangeError("samples must be >= 1");
  const batches = new Map<string, number>();
  for (const benchCase of cases) {
    if (batches.has(benchCase.id)) throw new Error(`duplicate case id: ${benchCase.id}`);
    batches.set(benchCase.id, await calibrate(benchCase, options));
  }
  const results: SampleSet = new Map(cases.map((c) => [c.id, []]));
  for (let round = 0; round < options.samples; round++) {
    for (let k = 0; k < cases.length; k++) {
      const benchCase = cases[(round + k) % cases.length]!;
      const iterations = batches.get(benchCase.id)!;
      collectGarbage();
      const elapsed = await timeBatch(benchCase, iterations);
      results.get(benchCase.id)!.push((iterations / Math.max(elapsed, 0.001)) * 1000);
    }
    options.onRound?.(round + 1, options.samples);
  }
  return results;
}
