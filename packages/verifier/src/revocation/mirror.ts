import type { JWTPayload } from "@sigil/jwt";
import { type RevocationEntry, RevocationIndex, type RevocationReason } from "@sigil/protocol";
import { repeat, systemTimers, type TimersLike } from "../lib/timers.js";

export type { RevocationReason };

export interface RevocationMirrorOptions {
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** How often expired entries are swept (default 5 s); 0 disables the timer (call sweep() yourself). */
  sweepIntervalMs?: number;
  /** At most this many entries are examined per sweep (default 20,000), so a sweep never stalls requests. */
  sweepBatch?: number;
  /** The sweep's timer (default Node's, unref'd). */
  timers?: TimersLike;
}

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

/**
 * A verifier's copy of the auth server's revocations: the protocol's {@link RevocationIndex}
 * (the rule every party applies), swept of expired entries on a timer in bounded batches.
 *
 * @example
 * const mirror = createRevocationMirror();
 * mirror.add({ id: 1, kind: "session", sid: "s1", exp: nowSeconds + 960 });
 * mirror.isRevoked({ sid: "s1" }); // "session"
 */
export function createRevocationMirror(options: RevocationMirrorOptions = {}): RevocationMirror {
  const now = options.now ?? Date.now;
  const sweepBatch = options.sweepBatch ?? 20_000;
  const index = new RevocationIndex();
  const sweep = (): number => index.sweep(now() / 1000, sweepBatch);
  const interval = options.sweepIntervalMs ?? 5000;
  const stopSweeping = interval > 0 ? repeat(options.timers ?? systemTimers, interval, sweep) : undefined;
  return {
    isRevoked: (payload) => index.isRevoked(payload),
    add: (entry) => index.add(entry),
    replace: (entries) => index.replace(entries),
    sweep,
    get revokedSessions() {
      return index.revokedSessions;
    },
    get revokedUsers() {
      return index.revokedUsers;
    },
    close() {
      stopSweeping?.();
    },
  };
}
