import type { RevocationEntry } from "@sigil/protocol";

export interface SequencerOptions {
  /** The highest id already released (the feed's last event id). */
  watermark: number;
  /** How long a missing id may hold back the ids after it before it is presumed rolled back. */
  gapWaitMs: number;
  /** How long an id presumed rolled back is still watched for a late commit. */
  lateWindowMs: number;
  /** At most this many ids are watched (a sequence jump after a crash can skip many). */
  maxWatchedGaps?: number;
}

/**
 * Releases revocations in id order without skipping one that commits late.
 *
 * `bigserial` ids are taken when a row is inserted, not when its transaction commits: with two
 * concurrent revocations, id 6 can commit (and be NOTIFYed) while id 5 is still in flight. The
 * protocol's verifiers ignore ids at or below the last applied, so releasing 6 first would lose
 * 5 for good. The sequencer therefore holds rows back behind a missing id for up to `gapWaitMs`;
 * a missing id that has not appeared by then is presumed rolled back (sequences never reuse an
 * id), released past, and watched for `lateWindowMs` — should it still commit, the hub resends
 * a full snapshot, which no verifier ignores.
 */
export class RevocationSequencer {
  #watermark: number;
  readonly #options: SequencerOptions;
  readonly #pending = new Map<number, RevocationEntry>();
  /** When the gap now blocking release (just above the watermark) was first seen. */
  #gapSince: number | undefined;
  readonly #watched = new Map<number, number>();

  constructor(options: SequencerOptions) {
    this.#watermark = options.watermark;
    this.#options = options;
  }

  get watermark(): number {
    return this.#watermark;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Accepts fetched rows; rows at or below the watermark are ignored (already released). */
  offer(entries: Iterable<RevocationEntry>): void {
    for (const entry of entries) if (entry.id > this.#watermark) this.#pending.set(entry.id, entry);
  }

  /**
   * The rows now releasable, in id order; `waitMs` is set when a gap still blocks the rest
   * (call again after it, or as soon as new rows arrive).
   */
  release(nowMs: number): { released: RevocationEntry[]; waitMs: number | undefined } {
    const released: RevocationEntry[] = [];
    while (this.#pending.size > 0) {
      const next = this.#pending.get(this.#watermark + 1);
      if (next) {
        this.#pending.delete(next.id);
        this.#watermark = next.id;
        this.#gapSince = undefined;
        released.push(next);
        continue;
      }
      this.#gapSince ??= nowMs;
      const waited = nowMs - this.#gapSince;
      if (waited < this.#options.gapWaitMs) return { released, waitMs: this.#options.gapWaitMs - waited };
      const lowest = Math.min(...this.#pending.keys());
      this.watch(rangeIds(this.#watermark + 1, lowest - 1), nowMs);
      this.#watermark = lowest - 1;
      this.#gapSince = undefined;
    }
    return { released, waitMs: undefined };
  }

  /** Watches ids presumed rolled back (also the holes found at start) for a late commit. */
  watch(ids: Iterable<number>, nowMs: number): void {
    const max = this.#options.maxWatchedGaps ?? 1000;
    for (const id of ids) {
      this.#watched.set(id, nowMs);
      if (this.#watched.size > max) {
        const oldest = this.#watched.keys().next();
        if (!oldest.done) this.#watched.delete(oldest.value);
      }
    }
  }

  /** The ids still watched (prunes those past the late window), ascending. */
  watchedIds(nowMs: number): number[] {
    for (const [id, since] of this.#watched) {
      if (nowMs - since > this.#options.lateWindowMs) this.#watched.delete(id);
    }
    return [...this.#watched.keys()].sort((a, b) => a - b);
  }

  /** True when `id` was presumed rolled back and has now committed: the caller must resync subscribers. */
  takeLate(id: number): boolean {
    return this.#watched.delete(id);
  }
}

/** The ids from..to, at most the last 1000 of them (a larger jump is a sequence skip, not in-flight rows). */
function rangeIds(from: number, to: number): number[] {
  const ids: number[] = [];
  for (let id = Math.max(from, to - 999); id <= to; id++) ids.push(id);
  return ids;
}
