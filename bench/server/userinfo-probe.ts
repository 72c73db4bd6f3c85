// GET /userinfo at a fixed, modest rate: a latency probe, not a throughput test. The probe
// itself must not queue requests in the server, or its p99 would measure its own load rather
// than what a login flood does to everyone else.

import { type ClosedLoopResult, runClosedLoop } from "./closed-loop.js";

export interface UserinfoProbeOptions {
  readonly baseUrl: string;
  /** Access tokens to cycle through (distinct tokens, as from distinct users). */
  readonly accessTokens: readonly string[];
  readonly workers: number;
  /** Requests per second over all workers. */
  readonly ratePerSec: number;
  readonly durationMs: number;
}

export function runUserinfoProbe(options: UserinfoProbeOptions): Promise<ClosedLoopResult> {
  if (options.accessTokens.length === 0) throw new RangeError("the userinfo probe needs access tokens");
  const intervalMs = (options.workers * 1000) / options.ratePerSec;
  let next = 0;
  return runClosedLoop({
    baseUrl: options.baseUrl,
    workers: options.workers,
    durationMs: options.durationMs,
    maxPerWorker: Math.ceil(options.durationMs / intervalMs) + 1,
    intervalMs,
    async step(_worker, client) {
      const token = options.accessTokens[next++ % options.accessTokens.length]!;
      const response = await client.send({
        method: "GET",
        path: "/userinfo",
        headers: { authorization: `Bearer ${token}` },
      });
      return { ok: response.status === 200, response };
    },
  });
}
