import type { AttemptState } from "../abuse/backoff.js";
import type { Queryable } from "./database.js";

interface CounterRow {
  key: string;
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

/**
 * Locks the counters of `keys` for the rest of the transaction, creating missing ones as empty
 * counters first (so that a key seen for the first time is locked too), and returns their state.
 * Keys are locked in sorted order, so two transactions over overlapping keys cannot deadlock.
 * The table and its `failures` column keep their first names: they count attempts now.
 */
export async function lockAttemptCounters(
  tx: Queryable,
  keys: readonly string[],
  now: number,
  options: { create?: boolean } = {},
): Promise<Map<string, AttemptState>> {
  const sorted = [...new Set(keys)].sort();
  if (options.create ?? true) {
    await tx.query(
      `INSERT INTO login_failures (key, failures, window_started_at, blocked_until)
       SELECT key, 0, $2::timestamptz, NULL FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO NOTHING`,
      [sorted, new Date(now)],
    );
  }
  const result = await tx.query<CounterRow>(
    `SELECT key, failures, window_started_at AS "windowStartedAt", blocked_until AS "blockedUntil"
     FROM login_failures WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
    [sorted],
  );
  const states = new Map<string, AttemptState>();
  for (const row of result.rows) {
    states.set(row.key, {
      attempts: row.failures,
      windowStartedAt: new Date(row.windowStartedAt).getTime(),
      blockedUntil: row.blockedUntil === null ? null : new Date(row.blockedUntil).getTime(),
    });
  }
  return states;
}

export async function writeAttemptCounter(tx: Queryable, key: string, state: AttemptState): Promise<void> {
  await tx.query("UPDATE login_failures SET failures = $2, window_started_at = $3, blocked_until = $4 WHERE key = $1", [
    key,
    state.attempts,
    new Date(state.windowStartedAt),
    state.blockedUntil === null ? null : new Date(state.blockedUntil),
  ]);
}

export async function clearAttemptCounter(db: Queryable, key: string): Promise<void> {
  await db.query("DELETE FROM login_failures WHERE key = $1", [key]);
}

/** Deletes counters idle for longer than the window (housekeeping); returns how many. */
export async function deleteStaleAttemptCounters(db: Queryable, now: number, windowSeconds: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM login_failures
     WHERE GREATEST(window_started_at, COALESCE(blocked_until, window_started_at)) + $2::int * interval '1 second' <= $1::timestamptz`,
    [new Date(now), windowSeconds],
  );
  return result.rowCount;
}
