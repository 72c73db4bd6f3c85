// A bounded closed-loop load generator: `workers` virtual clients, each on its own kept-alive
// connection, each sending its next request when the previous one has answered (optionally
// paced to one request per `intervalMs`). Stops at the deadline, after `maxPerWorker`
// requests, or once `signal` is aborted, whichever comes first.

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { HttpClient, type HttpResponse } from "./http-client.js";

export interface ClosedLoopOptions {
  readonly baseUrl: string;
  readonly workers: number;
  readonly durationMs: number;
  readonly maxPerWorker: number;
  /** Pace: each worker starts a request at most every intervalMs (0: back to back). */
  readonly intervalMs?: number;
  /** Stops the loop early (a background load ended from outside); requests in flight finish. */
  readonly signal?: AbortSignal;
  /** Sends one request for `worker` and says whether the answer was the expected one. */
  readonly step: (worker: number, client: HttpClient) => Promise<{ ok: boolean; response: HttpResponse }>;
}

export interface ClosedLoopResult {
  readonly ok: number;
  readonly failed: number;
  /** Latencies (ms) of the expected answers only. */
  readonly latenciesMs: number[];
  readonly elapsedMs: number;
  /** Expected answers per second. */
  readonly okPerSec: number;
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const latenciesMs: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const interval = options.intervalMs ?? 0;
  const running = (): boolean => performance.now() < deadline && options.signal?.aborted !== true;

  const worker = async (index: number): Promise<void> => {
    const client = new HttpClient(options.baseUrl);
    // Spread paced workers over one interval so they do not fire in lockstep.
    if (interval > 0) await sleep((interval * index) / options.workers);
    let next = performance.now();
    try {
      for (let n = 0; n < options.maxPerWorker && running(); n++) {
        try {
          const result = await options.step(index, client);
          if (result.ok) {
            ok++;
            latenciesMs.push(result.response.ms);
          } else {
            failed++;
          }
        } catch {
          failed++;
        }
        if (interval > 0) {
          next += interval;
          const wait = next - performance.now();
          if (wait > 0) await sleep(wait);
          else next = performance.now(); // fell behind: do not burst to catch up
        }
      }
    } finally {
      client.close();
    }
  };

  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
  const elapsedMs = performance.now() - started;
  return { ok, failed, latenciesMs, elapsedMs, okPerSec: (ok / elapsedMs) * 1000 };
}
