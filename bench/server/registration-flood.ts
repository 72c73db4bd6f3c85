// A closed-loop flood of POST /auth/register: every request a fresh email and a valid password,
// from one of many client addresses (X-Forwarded-For, which the server child trusts from the
// loopback load generator), so each accepted one costs exactly one argon2id hash. Each answer is
// tallied by status: 202 accepted, 429 refused by a quota, 503 refused because the hash queue's
// background line was full.

import { randomBytes } from "node:crypto";
import { runClosedLoop } from "./closed-loop.js";

export interface RegistrationFloodOptions {
  readonly baseUrl: string;
  /** Concurrent registrations (one kept-alive connection each). */
  readonly connections: number;
  /** Client addresses the flood cycles through, 10.1.0.0 upwards (at most 65,536). */
  readonly addresses: number;
  readonly durationMs: number;
}

export interface RegistrationFloodResult {
  /** 202 answers per second over the whole run. */
  readonly acceptedPerSec: number;
  readonly accepted: number;
  /** 429: a registration quota (per address or overall) refused it before any hashing. */
  readonly refused429: number;
  /** 503: the hash queue's background line was full. */
  readonly refused503: number;
  /** Any other status, or no answer: should be 0. */
  readonly other: number;
  readonly durationSec: number;
}

/** A started flood: `done` settles when its duration is over, or soon after `stop()`. */
export interface RunningRegistrationFlood {
  readonly done: Promise<RegistrationFloodResult>;
  stop(): void;
}

/**
 * At most this many requests per connection per ms of run: far above what hashing allows
 * (one per few ms), it bounds the count even if every answer is an instant refusal.
 */
const MAX_PER_CONNECTION_PER_MS = 2;

/** The n-th flood address, 10.1.0.0 upwards. */
function floodAddress(n: number): string {
  return `10.1.${(n >> 8) & 255}.${n & 255}`;
}

export function startRegistrationFlood(options: RegistrationFloodOptions): RunningRegistrationFlood {
  if (!(options.addresses >= 1 && options.addresses <= 65_536)) {
    throw new RangeError(`a registration flood needs 1 to 65,536 addresses (got ${options.addresses})`);
  }
  // Unique per flood: emails never collide with the seeded accounts or an earlier flood.
  const run = randomBytes(4).toString("hex");
  const password = `flood ${randomBytes(12).toString("base64url")}`;
  const controller = new AbortController();
  const counts = { accepted: 0, refused429: 0, refused503: 0 };
  let next = 0;
  const done = runClosedLoop({
    baseUrl: options.baseUrl,
    workers: options.connections,
    durationMs: options.durationMs,
    maxPerWorker: Math.ceil(options.durationMs * MAX_PER_CONNECTION_PER_MS),
    signal: controller.signal,
    async step(_worker, client) {
      const n = next++;
      const response = await client.send({
        method: "POST",
        path: "/auth/register",
        headers: { "x-forwarded-for": floodAddress(n % options.addresses) },
        json: { email: `flood-${run}-${n}@example.com`, password },
      });
      if (response.status === 202) counts.accepted++;
      else if (response.status === 429) counts.refused429++;
      else if (response.status === 503) counts.refused503++;
      return { ok: response.status === 202, response };
    },
  }).then((result) => ({
    acceptedPerSec: result.okPerSec,
    ...counts,
    // Failed steps that were neither refusal: other statuses and requests that got no answer.
    other: result.failed - counts.refused429 - counts.refused503,
    durationSec: result.elapsedMs / 1000,
  }));
  return { done, stop: () => controller.abort() };
}
