import type { Queryable } from "./database.js";

/** The back-off rule, in seconds (see src/abuse/backoff.ts, which this SQL mirrors). */
export interface LoginFailurePolicy {
  freeFailures: number;
  windowSeconds: number;
  maxBlockSeconds: number;
}

// A row is stale a window after it started or a window after its block ended, whichever is later.
const STALE = `GREATEST(f.window_started_at, COALESCE(f.blocked_until, f.window_started_at)) + $3::int * interval '1 second' <= $2::timestamptz`;
const NEXT_FAILURES = `CASE WHEN ${STALE} THEN 1 ELSE LEAST(f.failures + 1, 1000000) END`;

/**
 * Counts one failed login for `key`, atomically across instances: one INSERT … ON CONFLICT DO
 * UPDATE, so two instances recording at once both count. Past `freeFailures` the key is blocked
 * for 2^(n - free - 1) seconds, capped at `maxBlockSeconds` (the exponent is capped at 30 so
 * power() stays in range).
 */
export async function recordLoginFailure(
  db: Queryable,
  key: string,
  now: Date,
  policy: LoginFailurePolicy,
): Promise<{ failures: number; blockedUntil: Date | null }> {
  const result = await db.query<{ failures: number; blockedUntil: Date | null }>(
    `INSERT INTO login_failures AS f (key, failures, window_started_at, blocked_until)
     VALUES ($1, 1, $2::timestamptz, CASE WHEN 1 > $4::int THEN $2::timestamptz + interval '1 second' END)
     ON CONFLICT (key) DO UPDATE SET
       failures = ${NEXT_FAILURES},
       window_started_at = CASE WHEN ${STALE} THEN $2::timestamptz ELSE f.window_started_at END,
       blocked_until = CASE
         WHEN ${NEXT_FAILURES} > $4::int
           THEN $2::timestamptz + LEAST($5::int, power(2, LEAST(${NEXT_FAILURES} - $4::int - 1, 30))) * interval '1 second'
         WHEN ${STALE} THEN NULL
         ELSE f.blocked_until
       END
     RETURNING failures, blocked_until AS "blockedUntil"`,
    [key, now, policy.windowSeconds, policy.freeFailures, policy.maxBlockSeconds],
  );
  const row = result.rows[0];
  return { failures: row?.failures ?? 0, blockedUntil: row?.blockedUntil ?? null };
}

/** The latest block among `keys` that is still in force at `now`, or null. */
export async function findLoginBlock(db: Queryable, keys: readonly string[], now: Date): Promise<Date | null> {
  if (keys.length === 0) return null;
  const placeholders = keys.map((_, i) => `$${i + 2}`).join(", ");
  const result = await db.query<{ until: Date | null }>(
    `SELECT max(blocked_until) AS until FROM login_failures WHERE key IN (${placeholders}) AND blocked_until > $1::timestamptz`,
    [now, ...keys],
  );
  return result.rows[0]?.until ?? null;
}

export async function clearLoginFailures(db: Queryable, key: string): Promise<void> {
  await db.query("DELETE FROM login_failures WHERE key = $1", [key]);
}

/** Deletes counters idle for longer than the window (housekeeping); returns how many. */
export async function deleteStaleLoginFailures(db: Queryable, now: Date, windowSeconds: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM login_failures
     WHERE GREATEST(window_started_at, COALESCE(blocked_until, window_started_at)) + $2::int * interval '1 second' <= $1::timestamptz`,
    [now, windowSeconds],
  );
  return result.rowCount;
}
