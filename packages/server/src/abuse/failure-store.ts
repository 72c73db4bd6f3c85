import type { BackoffPolicy } from "./backoff.js";

/** Where failed-login counters live: this process's memory, or the shared database. */
export interface FailureStore {
  /** The latest `blockedUntil` (ms) among `keys` still in the future, or undefined. */
  blockedUntil(keys: readonly string[], now: number): Promise<number | undefined>;
  recordFailure(key: string, now: number, policy: BackoffPolicy): Promise<void>;
  clear(key: string): Promise<void>;
}
