import {
  clearAttemptCounter,
  deleteStaleAttemptCounters,
  lockAttemptCounters,
  writeAttemptCounter,
} from "../store/attempt-counters.js";
import type { Database } from "../store/database.js";
import type { AttemptStore, CountedKey } from "./attempt-store.js";
import { isBlocked, nextAttemptState, refundedState } from "./backoff.js";

/** Sweep stale rows once per this many reservations (cheap, and rare). */
const SWEEP_EVERY = 500;

/**
 * Counters in the `login_failures` table, shared by every instance on the database. A
 * reservation locks the keys' rows (in key order, so two reservations never wait on each other
 * in a cycle), decides with backoff.ts — the same rule as the memory store — and writes back in
 * one transaction: concurrent reservations on one key, from any instance, queue on its row lock.
 */
export class DatabaseAttemptStore implements AttemptStore {
  readonly #db: Database;
  #reservationsSinceSweep = 0;

  constructor(db: Database) {
    this.#db = db;
  }

  async reserve(keys: readonly CountedKey[], now: number): Promise<number | undefined> {
    const blockedUntil = await this.#db.transaction(async (tx) => {
      const states = await lockAttemptCounters(
        tx,
        keys.map(({ key }) => key),
        now,
      );
      let latest: number | undefined;
      for (const { key } of keys) {
        const state = states.get(key);
        if (isBlocked(state, now)) latest = Math.max(latest ?? 0, state?.blockedUntil ?? 0);
      }
      if (latest !== undefined) return latest;
      for (const { key, policy } of keys)
        await writeAttemptCounter(tx, key, nextAttemptState(states.get(key), now, policy));
      return undefined;
    });
    if (++this.#reservationsSinceSweep >= SWEEP_EVERY) {
      this.#reservationsSinceSweep = 0;
      const longestWindow = Math.max(...keys.map(({ policy }) => policy.windowSeconds));
      await deleteStaleAttemptCounters(this.#db, now, longestWindow);
    }
    return blockedUntil;
  }

  async refund(counted: CountedKey, now: number): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const state = (await lockAttemptCounters(tx, [counted.key], now, { create: false })).get(counted.key);
      if (state !== undefined) await writeAttemptCounter(tx, counted.key, refundedState(state, counted.policy));
    });
  }

  async clear(key: string): Promise<void> {
    await clearAttemptCounter(this.#db, key);
  }
}
