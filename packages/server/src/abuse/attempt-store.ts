import type { BackoffPolicy } from "./backoff.js";

/** A key and the rule it is counted by. */
export interface CountedKey {
  readonly key: string;
  readonly policy: BackoffPolicy;
}

/**
 * Where attempt counters live: this process's memory, or the shared database. The counting
 * rule itself is backoff.ts's, for both: a store only keeps state and makes each step atomic.
 */
export interface AttemptStore {
  /**
   * Atomically, for every key at once: when none is blocked at `now`, counts one attempt on each
   * (backoff.ts nextAttemptState) and returns undefined; when one is, counts nothing and returns
   * the latest block's end (ms).
   */
  reserve(keys: readonly CountedKey[], now: number): Promise<number | undefined>;
  /** Takes back one attempt counted on `key` (it succeeded): backoff.ts refundedState. */
  refund(key: CountedKey, now: number): Promise<void>;
  /** Forgets a key's counter. */
  clear(key: string): Promise<void>;
}
