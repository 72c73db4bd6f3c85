import type { Queryable } from "./database.js";
import { SESSION_COLUMNS, type SessionRecord } from "./sessions.js";

export interface NewRefreshToken {
  id: string;
  sessionId: string;
  /** SHA-256 of the token's secret part: the only form in which a refresh token is stored. */
  tokenHash: Buffer;
  parentId: string | null;
  now: Date;
}

export async function insertRefreshToken(db: Queryable, token: NewRefreshToken): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (id, session_id, token_hash, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [token.id, token.sessionId, token.tokenHash, token.parentId, token.now],
  );
}

/** A refresh token row locked for update, with its session and the user's state. */
export interface LockedRefreshToken {
  id: string;
  tokenHash: Uint8Array;
  rotatedAt: Date | null;
  successorId: string | null;
  session: SessionRecord;
  userDisabledAt: Date | null;
  userRoles: string[];
}

/**
 * Reads a refresh token by id and locks its row, then its session's row, until the transaction
 * ends: concurrent refreshes of the same token queue on the first lock, so exactly one of them
 * rotates it and the others see `rotated_at` set.
 *
 * Two statements on purpose. Under READ COMMITTED, a statement that waited for a row lock sees the
 * new version of the LOCKED row but the old snapshot of every other row it joined, so a single
 * join would show a waiter the session as still live after the lock holder ended it (theft
 * detection would then fire once per waiter). The second statement starts after the token lock is
 * held, so it sees everything the previous holder committed; locking the session serializes
 * refreshes within one session against each other and against theft detection.
 */
export async function lockRefreshToken(tx: Queryable, id: string): Promise<LockedRefreshToken | null> {
  const token = await tx.query<{
    id: string;
    sessionId: string;
    tokenHash: Uint8Array;
    rotatedAt: Date | null;
    successorId: string | null;
  }>(
    `SELECT id, session_id AS "sessionId", token_hash AS "tokenHash", rotated_at AS "rotatedAt", successor_id AS "successorId"
     FROM refresh_tokens WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const row = token.rows[0];
  if (!row) return null;
  const session = await tx.query<SessionRecord & { userDisabledAt: Date | null; userRoles: string[] }>(
    `SELECT ${SESSION_COLUMNS}, u.disabled_at AS "userDisabledAt", u.roles AS "userRoles"
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1
     FOR UPDATE OF s`,
    [row.sessionId],
  );
  const found = session.rows[0];
  if (!found) return null;
  const { userDisabledAt, userRoles, ...sessionRecord } = found;
  return {
    id: row.id,
    tokenHash: row.tokenHash,
    rotatedAt: row.rotatedAt,
    successorId: row.successorId,
    userDisabledAt,
    userRoles,
    session: sessionRecord,
  };
}

/** Marks a token as exchanged for `successorId`. */
export async function markRefreshTokenRotated(
  tx: Queryable,
  id: string,
  rotation: { successorId: string; now: Date },
): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET rotated_at = $2, successor_id = $3 WHERE id = $1`, [
    id,
    rotation.now,
    rotation.successorId,
  ]);
}
