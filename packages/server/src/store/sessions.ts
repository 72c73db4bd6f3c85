import type { Queryable } from "./database.js";
import type { NewRefreshToken } from "./refresh-tokens.js";

/** Why a session ended (sessions.end_reason). */
export type SessionEndReason =
  | "logout"
  | "logout_all"
  | "password_change"
  | "password_reset"
  | "user_disabled"
  | "refresh_token_reused"
  | "ended_by_user"
  | "token_revoked"
  | "authorization_code_replayed"
  | "admin";

export interface SessionRecord {
  id: string;
  userId: string;
  clientId: string;
  createdAt: Date;
  lastUsedAt: Date;
  absoluteExpiresAt: Date;
  idleExpiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
  /** The scopes granted to an app signed in by the authorization code flow; null otherwise. */
  scope: string | null;
  /** When the user last proved who they are in this session (its start, or a later sign-in in it). */
  authenticatedAt: Date;
}

export const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.client_id AS "clientId", s.created_at AS "createdAt",
  s.last_used_at AS "lastUsedAt", s.absolute_expires_at AS "absoluteExpiresAt", s.idle_expires_at AS "idleExpiresAt",
  s.user_agent AS "userAgent", s.ip, s.ended_at AS "endedAt", s.end_reason AS "endReason", s.scope,
  COALESCE(s.authenticated_at, s.created_at) AS "authenticatedAt"`;

export interface NewSession {
  id: string;
  userId: string;
  clientId: string;
  /** The browser session an app signed in from (authorization code flow); ends with it. */
  parentSessionId?: string | null;
  /** The scopes granted (authorization code flow). */
  scope?: string | null;
  now: Date;
  absoluteExpiresAt: Date;
  idleExpiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/**
 * Inserts a session and its first refresh token in one statement: atomic on its own (no
 * BEGIN/COMMIT round trips), and one trip to the database instead of four on every login. The
 * refresh token's foreign key is checked at the end of the statement, when the session row of the
 * same statement is visible to it.
 */
export async function insertSessionWithRefreshToken(
  db: Queryable,
  session: NewSession,
  token: Pick<NewRefreshToken, "id" | "tokenHash">,
): Promise<void> {
  await db.query(
    `WITH session AS (
       INSERT INTO sessions (id, user_id, client_id, created_at, last_used_at, absolute_expires_at, idle_expires_at, user_agent, ip, parent_session_id, scope)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $11, $12)
       RETURNING id, created_at)
     INSERT INTO refresh_tokens (id, session_id, token_hash, parent_id, created_at)
     SELECT $9::text, session.id, $10::bytea, NULL, session.created_at FROM session`,
    [
      session.id,
      session.userId,
      session.clientId,
      session.now,
      session.absoluteExpiresAt,
      session.idleExpiresAt,
      session.userAgent,
      session.ip,
      token.id,
      token.tokenHash,
      session.parentSessionId ?? null,
      session.scope ?? null,
    ],
  );
}

export async function findSession(db: Queryable, id: string): Promise<SessionRecord | null> {
  const result = await db.query<SessionRecord>(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = $1`, [id]);
  return result.rows[0] ?? null;
}

/** Records a use: last_used_at and the idle deadline move forward (never past the absolute one). */
export async function touchSession(db: Queryable, id: string, use: { now: Date; idleExpiresAt: Date }): Promise<void> {
  await db.query(
    `UPDATE sessions SET last_used_at = $2, idle_expires_at = LEAST($3::timestamptz, absolute_expires_at) WHERE id = $1`,
    [id, use.now, use.idleExpiresAt],
  );
}

/**
 * Ends one live session and the live sessions started from it (apps signed in through the
 * browser session, `parent_session_id`); returns the ids ended — empty when it had already ended,
 * does not exist, or is not `userId`'s.
 */
export async function endSession(
  db: Queryable,
  id: string,
  end: { reason: SessionEndReason; now: Date; userId?: string },
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE sessions SET ended_at = $2, end_reason = $3
     WHERE ended_at IS NULL AND ($4::text IS NULL OR user_id = $4)
       AND (id = $1 OR parent_session_id = $1)
       AND EXISTS (SELECT 1 FROM sessions p WHERE p.id = $1 AND p.ended_at IS NULL)
     RETURNING id`,
    [id, end.now, end.reason, end.userId ?? null],
  );
  // The session itself first: callers that report one id report that one.
  return result.rows.map((row) => row.id).sort((a, b) => (a === id ? -1 : b === id ? 1 : 0));
}

/** Ends every live session of a user (but `exceptId`); returns the ids ended. */
export async function endUserSessions(
  db: Queryable,
  userId: string,
  end: { reason: SessionEndReason; now: Date; exceptId?: string },
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE sessions SET ended_at = $2, end_reason = $3
     WHERE user_id = $1 AND ended_at IS NULL AND ($4::text IS NULL OR id <> $4)
     RETURNING id`,
    [userId, end.now, end.reason, end.exceptId ?? null],
  );
  return result.rows.map((row) => row.id);
}

/** The user's sessions that are neither ended nor expired, most recently used first. */
export async function listLiveSessions(db: Queryable, userId: string, now: Date): Promise<SessionRecord[]> {
  const result = await db.query<SessionRecord>(
    `SELECT ${SESSION_COLUMNS} FROM sessions s
     WHERE s.user_id = $1 AND s.ended_at IS NULL AND s.absolute_expires_at > $2 AND s.idle_expires_at > $2
     ORDER BY s.last_used_at DESC, s.id
     LIMIT 1000`,
    [userId, now],
  );
  return result.rows;
}

/**
 * Deletes up to `limit` sessions (and, by cascade, their refresh tokens) that ended or expired
 * before `cutoff`. Live sessions are never touched: their rotated tokens must stay, or replaying
 * an old stolen token would read as unknown instead of ending the session.
 */
export async function deleteFinishedSessions(db: Queryable, cutoff: Date, limit = 1000): Promise<number> {
  const result = await db.query(
    `DELETE FROM sessions WHERE id IN (
       SELECT id FROM sessions
       WHERE COALESCE(ended_at, LEAST(absolute_expires_at, idle_expires_at)) < $1
       LIMIT $2)`,
    [cutoff, limit],
  );
  return result.rowCount;
}

/** Inserts a browser session: its credential is a cookie whose secret is stored only as a hash. */
export async function insertBrowserSession(db: Queryable, session: NewSession & { secretHash: Buffer }): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, user_id, client_id, created_at, last_used_at, absolute_expires_at, idle_expires_at, user_agent, ip, browser_secret_hash)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)`,
    [
      session.id,
      session.userId,
      session.clientId,
      session.now,
      session.absoluteExpiresAt,
      session.idleExpiresAt,
      session.userAgent,
      session.ip,
      session.secretHash,
    ],
  );
}

/** A browser session and the hash of its cookie's secret; null for an unknown id or an API session. */
export async function findBrowserSession(
  db: Queryable,
  id: string,
): Promise<(SessionRecord & { secretHash: Uint8Array }) | null> {
  const result = await db.query<SessionRecord & { secretHash: Uint8Array }>(
    `SELECT ${SESSION_COLUMNS}, s.browser_secret_hash AS "secretHash" FROM sessions s
     WHERE s.id = $1 AND s.browser_secret_hash IS NOT NULL`,
    [id],
  );
  return result.rows[0] ?? null;
}

/**
 * Replaces a live browser session's secret (the old cookie stops working), and records a new
 * sign-in in it when `authenticatedAt` is given; false if it has ended.
 */
export async function replaceBrowserSecret(
  db: Queryable,
  id: string,
  secretHash: Buffer,
  authenticatedAt?: Date,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE sessions SET browser_secret_hash = $2, authenticated_at = COALESCE($3, authenticated_at)
     WHERE id = $1 AND ended_at IS NULL AND browser_secret_hash IS NOT NULL`,
    [id, secretHash, authenticatedAt ?? null],
  );
  return result.rowCount === 1;
}
