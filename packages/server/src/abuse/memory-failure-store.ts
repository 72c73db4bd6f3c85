import { type BackoffPolicy, expiresAt, type FailureState, nextFailureState } from "./backoff.js";
import type { FailureStore } from "./failure-store.js";

const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * Counters in this process's memory: a bounded map. Expired entries are swept every
 * `maxEntries / 10` writes and whenever the map is full; if it is still full, the entry with the
 * oldest failure goes (the map keeps entries in order of their last failure).
 */
export class MemoryFailureStore implements FailureStore {
  readonly #entries = new Map<string, { state: FailureState; expiresAt: number }>();
  readonly #maxEntries: number;
  #writesSinceSweep = 0;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.#entries.size;
  }

  async blockedUntil(keys: readonly string[], now: number): Promise<number | undefined> {
    let latest: number | undefined;
    for (const key of keys) {
      const until = this.#entries.get(key)?.state.blockedUntil;
      if (until != null && until > now && (latest === undefined || until > latest)) latest = until;
    }
    return latest;
  }

  async recordFailure(key: string, now: number, policy: BackoffPolicy): Promise<void> {
    const previous = this.#entries.get(key);
    const state = nextFailureState(previous?.state, now, policy);
    // Delete first so the key moves to the end: insertion order = order of last failure.
    this.#entries.delete(key);
    if (++this.#writesSinceSweep >= Math.max(1, this.#maxEntries / 10) || this.#entries.size >= this.#maxEntries) {
      this.sweep(now);
    }
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { state, expiresAt: expiresAt(state, policy) });
  }

  async clear(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Drops every expired counter. */
  sweep(now: number): void {
    this.#writesSinceSweep = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}
