import type { Queryable } from "./database.js";

/** A user's remembered consent: the scopes they let a third-party client have. */
export interface ConsentRow {
  clientId: string;
  clientName: string;
  scopes: string[];
  grantedAt: Date;
}

export async function findConsentScopes(db: Queryable, userId: string, clientId: string): Promise<string[]> {
  const result = await db.query<{ scopes: string[] }>(
    "SELECT scopes FROM consents WHERE user_id = $1 AND client_id = $2",
    [userId, clientId],
  );
  return result.rows[0]?.scopes ?? [];
}

/** Records consent to `scopes`, adding to what was allowed before. */
export async function grantConsent(
  db: Queryable,
  input: { userId: string; clientId: string; scopes: readonly string[]; now: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES ($1, $2, $3::text[], $4)
     ON CONFLICT (user_id, client_id) DO UPDATE
       SET scopes = ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes) ORDER BY 1),
           granted_at = EXCLUDED.granted_at`,
    [input.userId, input.clientId, [...input.scopes], input.now],
  );
}

export async function listConsents(db: Queryable, userId: string): Promise<ConsentRow[]> {
  const result = await db.query<ConsentRow>(
    `SELECT c.client_id AS "clientId", cl.name AS "clientName", c.scopes, c.granted_at AS "grantedAt"
     FROM consents c JOIN clients cl ON cl.id = c.client_id
     WHERE c.user_id = $1 ORDER BY c.granted_at DESC`,
    [userId],
  );
  return result.rows.map((row) => ({ ...row, grantedAt: new Date(row.grantedAt) }));
}

/** Forgets a consent; true when there was one. */
export async function revokeConsent(db: Queryable, userId: string, clientId: string): Promise<boolean> {
  const result = await db.query("DELETE FROM consents WHERE user_id = $1 AND client_id = $2", [userId, clientId]);
  return result.rowCount > 0;
}
