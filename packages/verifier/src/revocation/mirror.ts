import type { JWTPayload } from "@sigil/jwt";
import type { RevocationEntry } from "./entry.js";

export interface RevocationMirrorOptions {
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** How often expired entries are swept (default 5 s); 0 disables the timer (call sweep() yourself). */
  sweepIntervalMs?: number;
  /** At most this many entries are examined per sweep (default 20,000), so a sweep never stalls requests. */
  sweepBatch?: number;
}

/** What revoked a token: its session, or a cut-off for all of its user's older tokens. */
export type RevocationReason = "session" | "user";

/** The in-memory mirror of the revocations still in force. */
export interface RevocationMirror {
  /** O(1), no allocation: "session" if the token's `sid` is revoked, "user" if issued before its user's cut-off. */
  isRevoked(payload: JWTPayload): RevocationReason | null;
  /** Applies one revocation (a feed delta). */
  add(entry: RevocationEntry): void;
  /** Replaces everything with a snapshot. */
  replace(entries: Iterable<RevocationEntry>): void;
  /** Drops up to `sweepBatch` expired entries; returns how many were dropped. */
  sweep(): number;
  readonly revokedSessions: number;
  readonly revokedUsers: number;
  close(): void;
}

interface UserCutoff {
  before: number;
  exp: number;
}

/**
 * Revoked sessions are a `Map<sid, exp>` — a string key and a small-integer value (epoch seconds
 * fit V8's Smi until 2038, so no boxed number per entry) — the most compact shape a Map allows.
 * An entry is kept until `exp`: after it, every token it affects has expired and the JWT checks
 * refuse it anyway, so the entry may go. Until the sweep drops it, keeping it is harmless.
 *
 * @example
 * const mirror = createRevocationMirror();
 * mirror.add({ id: 1, kind: "session", sid: "s1", exp: nowSeconds + 960 });
 * mirror.isRevoked({ sid: "s1" }); // "session"
 */
export function createRevocationMirror(options: RevocationMirrorOptions = {}): RevocationMirror {
  const now = options.now ?? Date.now;
  const sweepBatch = options.sweepBatch ?? 20_000;
  let sessions = new Map<string, number>();
  let users = new Map<string, UserCutoff>();
  // Live iterators survive deletions, so each sweep continues where the previous one stopped.
  let sessionCursor: Iterator<[string, number]> | undefined;
  let userCursor: Iterator<[string, UserCutoff]> | undefined;

  function add(entry: RevocationEntry): void {
    if (entry.kind === "session") {
      const known = sessions.get(entry.sid);
      if (known === undefined || known < entry.exp) sessions.set(entry.sid, entry.exp);
      return;
    }
    const known = users.get(entry.sub);
    if (known === undefined) users.set(entry.sub, { before: entry.before, exp: entry.exp });
    else {
      // Several cut-offs for one user: the latest one voids everything the earlier ones did.
      known.before = Math.max(known.before, entry.before);
      known.exp = Math.max(known.exp, entry.exp);
    }
  }

  function sweep(): number {
    const nowSeconds = now() / 1000;
    let budget = sweepBatch;
    let dropped = 0;
    sessionCursor ??= sessions.entries();
    while (budget-- > 0) {
      const next = sessionCursor.next();
      if (next.done) {
        sessionCursor = undefined;
        break;
      }
      if (next.value[1] <= nowSeconds) {
        sessions.delete(next.value[0]);
        dropped++;
      }
    }
    userCursor ??= users.entries();
    while (budget-- > 0) {
      const next = userCursor.next();
      if (next.done) {
        userCursor = undefined;
        break;
      }
      if (next.value[1].exp <= nowSeconds) {
        users.delete(next.value[0]);
        dropped++;
      }
    }
    return dropped;
  }

  const interval = options.sweepIntervalMs ?? 5000;
  const timer = interval > 0 ? setInterval(sweep, interval) : undefined;
  timer?.unref();

  return {
    isRevoked(payload) {
      const sid = payload["sid"];
      if (typeof sid === "string" && sessions.has(sid)) return "session";
      const sub = payload.sub;
      if (typeof sub === "string") {
        const cutoff = users.get(sub);
        // A token without a numeric iat cannot prove it was issued after the cut-off.
        if (cutoff !== undefined && !(typeof payload.iat === "number" && payload.iat >= cutoff.before)) return "user";
      }
      return null;
    },
    add,
    replace(entries) {
      sessions = new Map();
      users = new Map();
      sessionCursor = undefined;
      userCursor = undefined;
      for (const entry of entries) add(entry);
    },
    sweep,
    get revokedSessions() {
      return sessions.size;
    },
    get revokedUsers() {
      return users.size;
    },
    close() {
      clearInterval(timer);
    },
  };
}
