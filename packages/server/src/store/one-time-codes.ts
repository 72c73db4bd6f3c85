import type { Queryable } from "./database.js";

export type CodePurpose = "verify_email" | "reset_password" | "change_email";

/** One row of `one_time_codes`. */
export interface CodeRow {
  id: string;
  purpose: CodePurpose;
  userId: string;
  email: string;
  codeHash: Uint8Array;
  linkHash: Uint8Array;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

const COLUMNS = `id, purpose, user_id AS "userId", email, code_hash AS "codeHash", link_hash AS "linkHash", attempts,
  created_at AS "createdAt", expires_at AS "expiresAt", consumed_at AS "consumedAt"`;

/** Stores a new code and retires every earlier live one of the same user and purpose: only the latest mail works. */
export async function insertCode(tx: Queryable, row: Omit<CodeRow, "attempts" | "consumedAt">): Promise<void> {
  await tx.query(
    "UPDATE one_time_codes SET consumed_at = $3 WHERE user_id = $1 AND purpose = $2 AND consumed_at IS NULL",
    [row.userId, row.purpose, row.createdAt],
  );
  await tx.query(
    `INSERT INTO one_time_codes (id, purpose, user_id, email, code_hash, link_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, row.purpose, row.userId, row.email, row.codeHash, row.linkHash, row.createdAt, row.expiresAt],
  );
}

/** A code by id, locked for the rest of the transaction. */
export async function lockCode(tx: Queryable, id: string): Promise<CodeRow | null> {
  const result = await tx.query<CodeRow>(`SELECT ${COLUMNS} FROM one_time_codes WHERE id = $1 FOR UPDATE`, [id]);
  return result.rows[0] ?? null;
}

/**
 * The user's live code of a purpose (issuing one retires the others), or else the latest spent
 * one, so that a refusal can say "spent" rather than "unknown"; locked for the rest of the
 * transaction. A submission that waited on the lock sees the row as the winner left it.
 */
export async function lockLatestCode(tx: Queryable, userId: string, purpose: CodePurpose): Promise<CodeRow | null> {
  const result = await tx.query<CodeRow>(
    `SELECT ${COLUMNS} FROM one_time_codes
     WHERE user_id = $1 AND purpose = $2
     ORDER BY consumed_at IS NULL DESC, created_at DESC, id LIMIT 1 FOR UPDATE`,
    [userId, purpose],
  );
  return result.rows[0] ?? null;
}

/** Counts a wrong attempt; the code is spent once `maxAttempts` is reached. */
export async function countWrongAttempt(tx: Queryable, id: string, maxAttempts: number, now: Date): Promise<void> {
  await tx.query(
    `UPDATE one_time_codes SET attempts = attempts + 1,
       consumed_at = CASE WHEN attempts + 1 >= $2 THEN $3 ELSE consumed_at END
     WHERE id = $1`,
    [id, maxAttempts, now],
  );
}

export async function consumeCode(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query("UPDATE one_time_codes SET consumed_at = $2 WHERE id = $1", [id, now]);
}

/** Deletes codes expired before `before` (housekeeping), a bounded batch per call. */
export async function deleteExpiredCodes(db: Queryable, before: Date, limit = 1000): Promise<number> {
  const result = await db.query(
    `DELETE FROM one_time_codes WHERE id IN (SELECT id FROM one_time_codes WHERE expires_at < $1 LIMIT $2)`,
    [before, limit],
  );
  return result.rowCount;
}
