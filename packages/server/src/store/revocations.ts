import type { Queryable } from "./database.js";

/** The channel on which every committed revocation is announced (payload: the row id). */
export const REVOCATIONS_CHANNEL = "sigil_revocations";

export type NewRevocation =
  | { kind: "session"; sessionId: string; userId: string; reason: string; now: Date; expiresAt: Date }
  | { kind: "user_before"; userId: string; beforeTime: Date; reason: string; now: Date; expiresAt: Date };

/**
 * Records a revocation and announces it. pg_notify inside the transaction is delivered only if
 * and when the transaction commits (PostgreSQL's NOTIFY semantics), so listeners never hear of a
 * revocation that was rolled back. Returns the row id (the revocation feed's event id).
 */
export async function insertRevocation(tx: Queryable, revocation: NewRevocation): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO revocations (kind, session_id, user_id, before_time, reason, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id::text AS id`,
    [
      revocation.kind,
      revocation.kind === "session" ? revocation.sessionId : null,
      revocation.userId,
      revocation.kind === "user_before" ? revocation.beforeTime : null,
      revocation.reason,
      revocation.now,
      revocation.expiresAt,
    ],
  );
  const id = result.rows[0]!.id;
  await tx.query("SELECT pg_notify($1, $2)", [REVOCATIONS_CHANNEL, id]);
  return id;
}

/**
 * Whether an access token is void: its session was revoked, or its user revoked every token
 * issued before a time later than its `iat`. Rows are kept until every token they affect has
 * expired, so an absent row means "not revoked".
 *
 * This is the revocation rule of docs/revocation-feed.md in SQL — the RevocationIndex of
 * @sigil/protocol in memory — and a contract test holds the two to the same verdicts. As there, a
 * token without a numeric `iat` (`issuedAt: null`) cannot prove it was issued after a cut-off.
 */
export async function isAccessTokenRevoked(
  db: Queryable,
  token: { sessionId: string | undefined; userId: string; issuedAt: Date | null; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM revocations
     WHERE expires_at > $4 AND (
       (kind = 'session' AND session_id = $1) OR
       (kind = 'user_before' AND user_id = $2 AND ($3::timestamptz IS NULL OR before_time > $3)))
     LIMIT 1`,
    [token.sessionId ?? null, token.userId, token.issuedAt, token.now],
  );
  return result.rows.length > 0;
}

/**
 * Drops rows that no longer affect any unexpired token. The newest row is always kept: a starting
 * revocation-feed hub takes max(id) as its watermark, and an emptied table would make the next id
 * look like it follows a gap of every deleted id (see revocation-feed/revocation-sequencer.ts).
 * Idempotent, so several instances running it at once is harmless.
 */
export async function deleteExpiredRevocations(db: Queryable, now: Date): Promise<number> {
  const result = await db.query(
    "DELETE FROM revocations WHERE expires_at <= $1 AND id < (SELECT max(id) FROM revocations)",
    [now],
  );
  return result.rowCount;
}
