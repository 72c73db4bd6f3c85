import { deleteExpiredAuthorizationCodes } from "../store/authorization-codes.js";
import type { Database } from "../store/database.js";
import { deleteExpiredCodes } from "../store/one-time-codes.js";
import { deleteExpiredRevocations } from "../store/revocations.js";
import { deleteFinishedSessions } from "../store/sessions.js";
import { systemTimers, type TimersLike } from "../timers.js";

/** How long an ended or expired session is kept (an audit trail for support and incident review). */
export const FINISHED_SESSION_RETENTION_SECONDS = 30 * 86_400;

/**
 * How long a used or expired authorization code is kept: a replay within this time is still
 * recognised as one, and ends the session the code started.
 */
export const AUTHORIZATION_CODE_RETENTION_SECONDS = 3600;

export interface HousekeepingResult {
  revocations: number;
  sessions: number;
  codes: number;
}

/**
 * One round of cleanup: revocation rows whose every affected access token has expired
 * (expires_at = created + access TTL + clock tolerance), and sessions finished more than
 * FINISHED_SESSION_RETENTION_SECONDS ago with their refresh tokens, expired one-time codes, and
 * authorization codes AUTHORIZATION_CODE_RETENTION_SECONDS past their expiry. Bounded per round so a
 * backlog never holds long locks; safe to run on several instances at once (plain DELETEs).
 */
export async function runHousekeeping(db: Database, options: { now: number }): Promise<HousekeepingResult> {
  const now = new Date(options.now);
  const revocations = await deleteExpiredRevocations(db, now);
  const sessions = await deleteFinishedSessions(db, new Date(options.now - FINISHED_SESSION_RETENTION_SECONDS * 1000));
  const codes =
    (await deleteExpiredCodes(db, now)) +
    (await deleteExpiredAuthorizationCodes(db, new Date(options.now - AUTHORIZATION_CODE_RETENTION_SECONDS * 1000)));
  return { revocations, sessions, codes };
}

/**
 * Runs {@link runHousekeeping} every `intervalMs` (on Node's unref'd timers unless `timers` is
 * given); the next round is armed when the previous one has finished, so rounds never overlap.
 * `stop()` waits for a round in progress.
 */
export function scheduleHousekeeping(
  db: Database,
  options: { intervalMs: number; now?: () => number; timers?: TimersLike; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  const timers = options.timers ?? systemTimers;
  let running: Promise<unknown> | undefined;
  let timer: unknown;
  let stopped = false;
  const arm = (): void => {
    timer = timers.setTimeout(() => {
      running = runHousekeeping(db, { now: (options.now ?? Date.now)() })
        .catch(options.onError)
        .finally(() => {
          running = undefined;
          if (!stopped) arm();
        });
    }, options.intervalMs);
  };
  arm();
  return {
    async stop() {
      stopped = true;
      timers.clearTimeout(timer);
      await running;
    },
  };
}
