// A flood of valid logins (autocannon): every request a correct password for one of many
// pre-registered accounts, so each one costs exactly one argon2id verify and never meets the
// failed-login back-off (which counts failures only).

import autocannon from "autocannon";
import type { Credentials } from "./seed.js";

export interface LoginFloodOptions {
  readonly baseUrl: string;
  readonly users: readonly Credentials[];
  readonly connections: number;
  readonly durationMs: number;
}

export interface LoginFloodResult {
  /** 200 answers per second over the whole run. */
  readonly loginsPerSec: number;
  readonly ok: number;
  /** Any other status (503 hash queue full, 429, 401) — should be 0. */
  readonly non2xx: number;
  readonly errors: number;
  readonly durationSec: number;
}

/** A started flood: `done` settles when its duration is over, or soon after `stop()`. */
export interface RunningFlood {
  readonly done: Promise<LoginFloodResult>;
  stop(): void;
}

/** Extra time allowed past `durationMs` before the flood is stopped from outside. */
const GRACE_MS = 10_000;

export function startLoginFlood(options: LoginFloodOptions): RunningFlood {
  if (options.users.length === 0) throw new RangeError("a login flood needs users");
  const bodies = options.users.map((user) => JSON.stringify(user));
  let next = 0;
  let instance: autocannon.Instance | undefined;
  let guard: NodeJS.Timeout | undefined;
  const done = new Promise<LoginFloodResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${options.baseUrl}/auth/login`,
        method: "POST",
        connections: options.connections,
        duration: options.durationMs / 1000,
        // autocannon checks its deadline once per sample interval (1 s by default): sample
        // often so a run ends within ~100 ms of its duration and stop() acts as quickly.
        sampleInt: 100,
        headers: { "content-type": "application/json" },
        requests: [
          {
            setupRequest: (request) => {
              request.body = bodies[next++ % bodies.length]!;
              return request;
            },
          },
        ],
      },
      (error: unknown, result) => {
        clearTimeout(guard);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          loginsPerSec: result["2xx"] / result.duration,
          ok: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          durationSec: result.duration,
        });
      },
    );
  });
  guard = setTimeout(() => instance?.stop(), options.durationMs + GRACE_MS);
  return { done, stop: () => instance?.stop() };
}
