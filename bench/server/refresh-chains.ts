// Refresh throughput: one rotation chain per virtual client. Each client refreshes its own
// session sequentially, always with the token the previous answer returned (every request
// rotates: a new token row, the old one marked, the session touched, one transaction); the
// clients run in parallel on their own connections.

import { type ClosedLoopResult, runClosedLoop } from "./closed-loop.js";
import type { Session } from "./seed.js";

export interface RefreshChainsOptions {
  readonly baseUrl: string;
  /** One per virtual client; updated in place so the next round continues each chain. */
  readonly sessions: Session[];
  readonly durationMs: number;
  readonly maxPerClient: number;
}

export function runRefreshChains(options: RefreshChainsOptions): Promise<ClosedLoopResult> {
  return runClosedLoop({
    baseUrl: options.baseUrl,
    workers: options.sessions.length,
    durationMs: options.durationMs,
    maxPerWorker: options.maxPerClient,
    async step(worker, client) {
      const session = options.sessions[worker]!;
      const response = await client.send({
        method: "POST",
        path: "/auth/refresh",
        json: { refresh_token: session.refreshToken },
      });
      if (response.status !== 200) return { ok: false, response };
      const body = JSON.parse(response.body) as { access_token: string; refresh_token: string };
      options.sessions[worker] = { accessToken: body.access_token, refreshToken: body.refresh_token };
      return { ok: true, response };
    },
  });
}
