import type { AttemptStore, CountedKey } from "./attempt-store.js";
import { type AttemptState, expiresAt, isBlocked, nextAttemptState, refundedState } from "./backoff.js";

const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * Counters in this process's memory: a bounded map. Each operation runs without awaiting in
 * between, so it is atomic on the event loop: two concurrent reservations cannot both see the
 * last free attempt. Expired entries are swept every `maxEntries / 10` writes and whenever the
 * map is full; if it is still full, the entry written longest ago goes (the map keeps entries
 * in order of their last write).
 */
export class MemoryAttemptStore implements AttemptStore {
  readonly #entries = new Map<string, { state: AttemptState; expiresAt: number }>();
  readonly #maxEntries: number;
  #writesSinceSweep = 0;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.#entries.size;
  }

  async reserve(keys: readonly CountedKey[], now: number): Promise<number | undefined> {
    let blockedUntil: number | undefined;
    for (const { key } of keys) {
      const state = this.#entries.get(key)?.state;
      if (isBlocked(state, now)) blockedUntil = Math.max(blockedUntil ?? 0, state?.blockedUntil ?? 0);
    }
    if (blockedUntil !== undefined) return blockedUntil;
    for (const { key, policy } of keys)
      this.#write(key, nextAttemptState(this.#entries.get(key)?.state, now, policy), policy, now);
    return undefined;
  }

  async refund({ key, policy }: CountedKey, now: number): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#write(key, refundedState(entry.state, policy), policy, now);
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

  #write(key: string, state: AttemptState, policy: CountedKey["policy"], now: number): void {
    // Delete first so the key moves to the end: insertion order = order of last write.
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
}
