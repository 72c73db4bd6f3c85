import type { RevocationEntry } from "../feed/revocation-entry.js";

/** What revoked a token: its session, or a cut-off for all of its user's older tokens. */
export type RevocationReason = "session" | "user";

/**
 * What a token must show to be checked: its claims as they are in the payload (unchecked types,
 * so a verifier can pass a payload as is).
 */
export interface RevocationSubject {
  readonly sub?: unknown;
  readonly sid?: unknown;
  readonly iat?: unknown;
}

interface UserCutoff {
  before: number;
  exp: number;
}

/**
 * The revocation rule, in memory (docs/revocation-feed.md, "Applying entries"): a token is void
 * when its `sid` names a revoked session, or when its user has a cut-off later than its `iat` (a
 * token without a numeric `iat` cannot prove it was issued after the cut-off). The auth server's
 * forward-auth check and every verifier's mirror hold one of these; the database form of the same
 * rule is the server's `isAccessTokenRevoked`, and a contract test holds the two together.
 *
 * Revoked sessions are a `Map<sid, exp>` — a string key and a small-integer value (epoch seconds
 * fit V8's Smi until 2038, so no boxed number per entry). An entry is kept until `exp`: after it,
 * every token it affects has expired and the JWT checks refuse it anyway.
 *
 * @example
 * const index = new RevocationIndex();
 * index.add({ id: 1, kind: "session", sid: "s1", exp: nowSeconds + 960 });
 * index.isRevoked({ sub: "u1", sid: "s1", iat: nowSeconds }); // "session"
 */
export class RevocationIndex {
  #sessions = new Map<string, number>();
  #users = new Map<string, UserCutoff>();
  // Live iterators survive deletions, so a budgeted sweep continues where the previous one stopped.
  #sessionCursor: Iterator<[string, number]> | undefined;
  #userCursor: Iterator<[string, UserCutoff]> | undefined;

  get revokedSessions(): number {
    return this.#sessions.size;
  }

  get revokedUsers(): number {
    return this.#users.size;
  }

  /** Applies one entry. Idempotent; entries may arrive in any order. */
  add(entry: RevocationEntry): void {
    if (entry.kind === "session") {
      const known = this.#sessions.get(entry.sid);
      if (known === undefined || known < entry.exp) this.#sessions.set(entry.sid, entry.exp);
      return;
    }
    const known = this.#users.get(entry.sub);
    if (known === undefined) this.#users.set(entry.sub, { before: entry.before, exp: entry.exp });
    else {
      // Several cut-offs for one user: the latest one voids everything the earlier ones did.
      known.before = Math.max(known.before, entry.before);
      known.exp = Math.max(known.exp, entry.exp);
    }
  }

  /** Replaces everything (a snapshot). */
  replace(entries: Iterable<RevocationEntry>): void {
    this.clear();
    for (const entry of entries) this.add(entry);
  }

  /** O(1), no allocation: "session" if the token's session is revoked, "user" if issued before its user's cut-off. */
  isRevoked(token: RevocationSubject): RevocationReason | null {
    const sid = token.sid;
    if (typeof sid === "string" && this.#sessions.has(sid)) return "session";
    const sub = token.sub;
    if (typeof sub === "string") {
      const cutoff = this.#users.get(sub);
      if (cutoff !== undefined && !(typeof token.iat === "number" && token.iat >= cutoff.before)) return "user";
    }
    return null;
  }

  /**
   * Drops entries whose `exp` has passed, examining at most `budget` of them (so a sweep of a
   * large index never stalls requests; the next call goes on where this one stopped). Returns how
   * many were dropped.
   */
  sweep(nowSeconds: number, budget = Number.POSITIVE_INFINITY): number {
    let left = budget;
    let dropped = 0;
    this.#sessionCursor ??= this.#sessions.entries();
    while (left-- > 0) {
      const next = this.#sessionCursor.next();
      if (next.done) {
        this.#sessionCursor = undefined;
        break;
      }
      if (next.value[1] <= nowSeconds) {
        this.#sessions.delete(next.value[0]);
        dropped++;
      }
    }
    this.#userCursor ??= this.#users.entries();
    while (left-- > 0) {
      const next = this.#userCursor.next();
      if (next.done) {
        this.#userCursor = undefined;
        break;
      }
      if (next.value[1].exp <= nowSeconds) {
        this.#users.delete(next.value[0]);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.#sessions = new Map();
    this.#users = new Map();
    this.#sessionCursor = undefined;
    this.#userCursor = undefined;
  }
}
