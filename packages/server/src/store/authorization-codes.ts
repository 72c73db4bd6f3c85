import type { Queryable } from "./database.js";

/** One row of `authorization_codes`: what a code was issued for (only its hash is stored). */
export interface AuthorizationCodeRow {
  id: string;
  clientId: string;
  userId: string;
  browserSessionId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | null;
  authTime: Date;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  issuedSessionId: string | null;
}

const COLUMNS = `id, client_id AS "clientId", user_id AS "userId", browser_session_id AS "browserSessionId",
  redirect_uri AS "redirectUri", code_challenge AS "codeChallenge", scope, nonce, auth_time AS "authTime",
  created_at AS "createdAt", expires_at AS "expiresAt", consumed_at AS "consumedAt",
  issued_session_id AS "issuedSessionId"`;

export async function insertAuthorizationCode(
  db: Queryable,
  row: Omit<AuthorizationCodeRow, "consumedAt" | "issuedSessionId"> & { codeHash: Buffer },
): Promise<void> {
  await db.query(
    `INSERT INTO authorization_codes (id, code_hash, client_id, user_id, browser_session_id, redirect_uri,
       code_challenge, scope, nonce, auth_time, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      row.id,
      row.codeHash,
      row.clientId,
      row.userId,
      row.browserSessionId,
      row.redirectUri,
      row.codeChallenge,
      row.scope,
      row.nonce,
      row.authTime,
      row.createdAt,
      row.expiresAt,
    ],
  );
}

/** The code with this hash, locked for the rest of the transaction (two exchanges cannot both win). */
export async function lockAuthorizationCode(db: Queryable, codeHash: Buffer): Promise<AuthorizationCodeRow | null> {
  const result = await db.query<AuthorizationCodeRow>(
    `SELECT ${COLUMNS} FROM authorization_codes WHERE code_hash = $1 FOR UPDATE`,
    [codeHash],
  );
  const row = result.rows[0];
  return row ? { ...row, authTime: new Date(row.authTime), expiresAt: new Date(row.expiresAt) } : null;
}

/** Marks a code used, and which session its exchange started. */
export async function consumeAuthorizationCode(
  db: Queryable,
  id: string,
  use: { now: Date; issuedSessionId: string | null },
): Promise<void> {
  await db.query("UPDATE authorization_codes SET consumed_at = $2, issued_session_id = $3 WHERE id = $1", [
    id,
    use.now,
    use.issuedSessionId,
  ]);
}

/** Removes codes expired before `cutoff` (housekeeping); returns how many. */
export async function deleteExpiredAuthorizationCodes(db: Queryable, cutoff: Date, limit = 1000): Promise<number> {
  const result = await db.query(
    `DELETE FROM authorization_codes WHERE id IN (
       SELECT id FROM authorization_codes WHERE expires_at < $1 LIMIT $2)`,
    [cutoff, limit],
  );
  return result.rowCount;
}
