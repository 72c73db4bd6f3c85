import { createHmac, randomBytes } from "node:crypto";
import type { Queryable } from "../store/database.js";

/**
 * The key that derives refresh-token successors (see deriveSuccessorSecret). Every instance on one
 * database must use the same key, or a retried refresh landing on another instance would get a
 * different successor; so a random 256-bit secret is created once in `server_secrets` by whichever
 * instance starts first. When a key-encryption key is configured it is mixed in, so the database
 * alone does not hold the key (defence in depth: a successor also needs the parent's secret, which
 * is never stored). Changing the KEK only changes successors derived from then on.
 */
export async function loadRefreshDerivationKey(
  db: Queryable,
  options: { keyEncryptionKey?: Buffer | undefined } = {},
): Promise<Buffer> {
  await db.query(
    "INSERT INTO server_secrets (name, secret) VALUES ('refresh_derivation', $1) ON CONFLICT (name) DO NOTHING",
    [randomBytes(32)],
  );
  const result = await db.query<{ secret: Uint8Array }>(
    "SELECT secret FROM server_secrets WHERE name = 'refresh_derivation'",
  );
  const stored = Buffer.from(result.rows[0]!.secret);
  if (!options.keyEncryptionKey) return stored;
  return createHmac("sha256", options.keyEncryptionKey).update("sigil/refresh-derivation/v1\0").update(stored).digest();
}
