import { type FeedEntry, serializeEntry } from "./feed-entry.js";

/** A held entry and its wire form (serialized once, sent to every subscriber). */
export interface HeldEntry {
  readonly entry: FeedEntry;
  readonly json: string;
}

/** What a token must show to be checked against the revocations. */
export interface TokenIdentity {
  sub: string;
  sid?: string | undefined;
  /** Seconds since 1970 (whole, as issued). */
  iat: number;
}

/**
 * The revocations still in force, in memory: the feed's event log (for snapshots and resumes)
 * and the same O(1) indexes a verifier's mirror keeps (for /auth/verify). Entries are dropped by
 * {@link sweep} once `exp` has passed: every token they affect has expired by then.
 */
export class RevocationState {
  readonly #entries = new Map<number, HeldEntry>();
  /** sid → latest exp. */
  readonly #sessions = new Map<string, number>();
  /** sub → latest cut-off and exp. */
  readonly #users = new Map<string, { before: number; exp: number }>();
  /** False once an id arrives below the highest held (a late commit): entriesAfter then sorts. */
  #ordered = true;
  #highest = 0;
  #snapshotCache: string | undefined;

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an entry; false if its id is already held. */
  add(entry: FeedEntry): boolean {
    if (this.#entries.has(entry.id)) return false;
    this.#entries.set(entry.id, { entry, json: serializeEntry(entry) });
    if (entry.id < this.#highest) this.#ordered = false;
    this.#highest = Math.max(this.#highest, entry.id);
    this.#snapshotCache = undefined;
    this.index(entry);
    return true;
  }

  /** Adds an entry to the token-check indexes only (a row not yet released to the feed). Idempotent. */
  index(entry: FeedEntry): void {
    if (entry.kind === "session") {
      this.#sessions.set(entry.sid, Math.max(this.#sessions.get(entry.sid) ?? 0, entry.exp));
    } else {
      const known = this.#users.get(entry.sub);
      // Several cut-offs for one user: the latest voids everything the earlier ones did.
      if (known) {
        known.before = Math.max(known.before, entry.before);
        known.exp = Math.max(known.exp, entry.exp);
      } else this.#users.set(entry.sub, { before: entry.before, exp: entry.exp });
    }
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
  isRevoked(token: TokenIdentity): "session" | "user" | null {
    if (token.sid !== undefined && this.#sessions.has(token.sid)) return "session";
    const cutoff = this.#users.get(token.sub);
    if (cutoff !== undefined && !(token.iat >= cutoff.before)) return "user";
    return null;
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
    for (const [sid, exp] of this.#sessions) if (exp <= nowSeconds) this.#sessions.delete(sid);
    for (const [sub, cutoff] of this.#users) if (cutoff.exp <= nowSeconds) this.#users.delete(sub);
    if (dropped > 0) this.#snapshotCache = undefined;
    if (this.#entries.size === 0) this.#ordered = true;
    return dropped;
  }

  /** Forgets everything (a full reload replaces the state). */
  clear(): void {
    this.#entries.clear();
    this.#sessions.clear();
    this.#users.clear();
    this.#ordered = true;
    this.#highest = 0;
    this.#snapshotCache = undefined;
  }
}
