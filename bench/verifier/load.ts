// One load sample with autocannon: `connections` keep-alive connections on GET /profile for
// `durationMs`, each request carrying a bearer credential.

import autocannon from "autocannon";
import { PROFILE_PATH } from "./approaches.js";

export type LoadMode = "single" | "pool";

export interface LoadSample {
  /** 2xx responses per second of the sample. */
  readonly rps: number;
  /** 2xx responses in the sample. */
  readonly ok: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses other than 2xx, connection errors and timeouts: any of them invalidates the sample. */
  readonly failures: number;
}

export interface LoadOptions {
  readonly port: number;
  readonly mode: LoadMode;
  /** mode "single": the first one is sent on every request. */
  readonly credentials: readonly string[];
  /**
   * mode "pool": where in `credentials` to go on, kept by the caller across samples of one server.
   * Restarting at 0 each sample would resend the tokens the previous sample just verified, which
   * a verified-token cache still holds.
   */
  readonly cursor: { next: number };
  readonly durationMs: number;
  readonly connections: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadSample> {
  const { credentials, cursor } = options;
  if (credentials.length === 0) throw new Error("no credentials");
  const request: autocannon.Request =
    options.mode === "single"
      ? { method: "GET", path: PROFILE_PATH, headers: { authorization: `Bearer ${credentials[0]}` } }
      : {
          method: "GET",
          path: PROFILE_PATH,
          // One counter across all connections: a credential comes back only after every other
          // one has been sent, so no verifier cache smaller than the pool can hit (fixed request
          // lists would have the connections walk the same list in step, reusing tokens at once).
          setupRequest(req) {
            const credential = credentials[cursor.next % credentials.length]!;
            cursor.next = (cursor.next + 1) % credentials.length;
            return { ...req, headers: { authorization: `Bearer ${credential}` } };
          },
        };
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationMs / 1000,
    // autocannon stops at its next sample tick (default every 1000 ms): tick every 100 ms so a
    // sample lasts durationMs (rounded up to 0.1 s), not a whole second more.
    sampleInt: 100,
    timeout: 10,
    requests: [request],
  });
  const seconds = Math.max(result.duration, 0.001);
  return {
    rps: result["2xx"] / seconds,
    ok: result["2xx"],
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
