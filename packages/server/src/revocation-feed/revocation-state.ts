import {
  type RevocationEntry,
  RevocationIndex,
  type RevocationReason,
  type RevocationSubject,
  serializeRevocationEntry,
} from "@sigil/protocol";

/** A held entry and its wire form (serialized once, sent to every subscriber). */
export interface HeldEntry {
  readonly entry: RevocationEntry;
  readonly json: string;
}

/**
 * The revocations still in force, in memory: the feed's event log (for snapshots and resumes)
 * and the protocol's {@link RevocationIndex}, the same one a verifier's mirror keeps (for
 * /auth/verify). Entries are dropped by {@link sweep} once `exp` has passed: every token they
 * affect has expired by then.
 */
export class RevocationState {
  readonly #entries = new Map<number, HeldEntry>();
  readonly #index = new RevocationIndex();
  /** False once an id arrives below the highest held (a late commit): entriesAfter then sorts. */
  #ordered = true;
  #highest = 0;
  #snapshotCache: string | undefined;

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an entry; false if its id is already held. */
  add(entry: RevocationEntry): boolean {
    if (this.#entries.has(entry.id)) return false;
    this.#entries.set(entry.id, { entry, json: serializeRevocationEntry(entry) });
    if (entry.id < this.#highest) this.#ordered = false;
    this.#highest = Math.max(this.#highest, entry.id);
    this.#snapshotCache = undefined;
    this.index(entry);
    return true;
  }

  /** Adds an entry to the token-check index only (a row not yet released to the feed). Idempotent. */
  index(entry: RevocationEntry): void {
    this.#index.add(entry);
  }

  get(id: number): HeldEntry | undefined {
    return this.#entries.get(id);
  }

  /** The smallest id held, or undefined when nothing is. */
  minId(): number | undefined {
    let min: number | undefined;
    for (const id of this.#entries.keys()) {
      if (this.#ordered) return id;
      if (min === undefined || id < min) min = id;
    }
    return min;
  }

  /** Held entries with id > n, in id order. */
  entriesAfter(n: number): HeldEntry[] {
    const out: HeldEntry[] = [];
    for (const held of this.#entries.values()) if (held.entry.id > n) out.push(held);
    if (!this.#ordered) out.sort((a, b) => a.entry.id - b.entry.id);
    return out;
  }

  /** The JSON array of every held entry (cached until the next change). */
  snapshotArray(): string {
    this.#snapshotCache ??= `[${this.entriesAfter(0)
      .map((held) => held.json)
      .join(",")}]`;
    return this.#snapshotCache;
  }

  /** "session" / "user" when the token is void, null otherwise. O(1), no I/O. */
  isRevoked(token: RevocationSubject): RevocationReason | null {
    return this.#index.isRevoked(token);
  }

  /** Drops entries (and index members) whose exp has passed; returns how many entries went. */
  sweep(nowSeconds: number): number {
    let dropped = 0;
    for (const [id, held] of this.#entries) {
      if (held.entry.exp <= nowSeconds) {
        this.#entries.delete(id);
        dropped++;
      }
    }
    this.#index.sweep(nowSeconds);
    if (dropped > 0) this.#snapshotCache = undefined;
    if (this.#entries.size === 0) this.#ordered = true;
    return dropped;
  }

  /** Forgets everything (a full reload replaces the state). */
  clear(): void {
    this.#entries.clear();
    this.#index.clear();
    this.#ordered = true;
    this.#highest = 0;
    this.#snapshotCache = undefined;
  }
}
