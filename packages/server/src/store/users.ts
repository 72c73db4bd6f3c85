import type { Queryable } from "./database.js";

/** A user as the server reads it. `passwordHash` never leaves the auth layer (response schemas list the fields allowed out). */
export interface UserRecord {
  id: string;
  email: string;
  emailNormalized: string;
  passwordHash: string;
  roles: string[];
  createdAt: Date;
  disabledAt: Date | null;
  tokensValidAfter: Date | null;
  /** When the user proved they receive mail at `email`; null until then. */
  emailVerifiedAt: Date | null;
}

const COLUMNS = `id, email, email_normalized AS "emailNormalized", password_hash AS "passwordHash", roles,
  created_at AS "createdAt", disabled_at AS "disabledAt", tokens_valid_after AS "tokensValidAfter",
  email_verified_at AS "emailVerifiedAt"`;

export interface NewUser {
  id: string;
  email: string;
  emailNormalized: string;
  passwordHash: string;
  roles: readonly string[];
  now: Date;
  /** Set for accounts whose address is known good (an import); null for a sign-up. */
  emailVerifiedAt?: Date | null;
}

/** Inserts a user; null when the normalized email is taken (no exception, no partial row). */
export async function insertUser(db: Queryable, user: NewUser): Promise<UserRecord | null> {
  const result = await db.query<UserRecord>(
    `INSERT INTO users (id, email, email_normalized, password_hash, roles, created_at, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (email_normalized) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      user.id,
      user.email,
      user.emailNormalized,
      user.passwordHash,
      [...user.roles],
      user.now,
      user.emailVerifiedAt ?? null,
    ],
  );
  return result.rows[0] ?? null;
}

export async function findUserByEmail(db: Queryable, emailNormalized: string): Promise<UserRecord | null> {
  const result = await db.query<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE email_normalized = $1`, [
    emailNormalized,
  ]);
  return result.rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | null> {
  const result = await db.query<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return result.rows[0] ?? null;
}

/**
 * Replaces a password hash. With `expectedHash`, only if the stored hash is still that one, so a
 * rehash after login cannot overwrite a password changed meanwhile.
 */
export async function updatePasswordHash(
  db: Queryable,
  id: string,
  change: { passwordHash: string; expectedHash?: string },
): Promise<boolean> {
  const result =
    change.expectedHash === undefined
      ? await db.query("UPDATE users SET password_hash = $2 WHERE id = $1", [id, change.passwordHash])
      : await db.query("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3", [
          id,
          change.passwordHash,
          change.expectedHash,
        ]);
  return result.rowCount === 1;
}

/** Voids every access token of the user issued before `time` (see revocations: user_before). */
export async function setTokensValidAfter(db: Queryable, id: string, time: Date): Promise<void> {
  await db.query("UPDATE users SET tokens_valid_after = GREATEST(tokens_valid_after, $2) WHERE id = $1", [id, time]);
}

/** Marks `email` verified for the user, if it is still the user's address. */
export async function markEmailVerified(db: Queryable, id: string, email: string, now: Date): Promise<boolean> {
  const result = await db.query(
    "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1 AND email_normalized = $2",
    [id, email, now],
  );
  return result.rowCount === 1;
}

/** Moves the user to a new (verified) address; false when another account has taken it meanwhile. */
export async function changeUserEmail(
  db: Queryable,
  id: string,
  change: { email: string; emailNormalized: string; now: Date },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE users SET email = $2, email_normalized = $3, email_verified_at = $4
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email_normalized = $3 AND id <> $1)`,
    [id, change.email, change.emailNormalized, change.now],
  );
  return result.rowCount === 1;
}
