import type { Queryable } from "../store/database.js";
import {
  clearLoginFailures,
  deleteStaleLoginFailures,
  findLoginBlock,
  recordLoginFailure,
} from "../store/login-failures.js";
import type { BackoffPolicy } from "./backoff.js";
import type { FailureStore } from "./failure-store.js";

/** Sweep stale rows once per this many recorded failures (cheap, indexed by nothing but rare). */
const SWEEP_EVERY = 500;

/** Counters in the `login_failures` table, shared by every instance on the database. */
export class DatabaseFailureStore implements FailureStore {
  readonly #db: Queryable;
  #failuresSinceSweep = 0;

  constructor(db: Queryable) {
    this.#db = db;
  }

  async blockedUntil(keys: readonly string[], now: number): Promise<number | undefined> {
    const until = await findLoginBlock(this.#db, keys, new Date(now));
    return until === null ? undefined : until.getTime();
  }

  async recordFailure(key: string, now: number, policy: BackoffPolicy): Promise<void> {
    await recordLoginFailure(this.#db, key, new Date(now), policy);
    if (++this.#failuresSinceSweep >= SWEEP_EVERY) {
      this.#failuresSinceSweep = 0;
      await deleteStaleLoginFailures(this.#db, new Date(now), policy.windowSeconds);
    }
  }

  async clear(key: string): Promise<void> {
    await clearLoginFailures(this.#db, key);
  }
}
