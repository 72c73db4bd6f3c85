import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "../store/database.js";
import { openSecret, sealSecret } from "./key-encryption.js";

/**
 * The server's own secrets, one row each in `server_secrets`, created by whichever instance
 * starts first so that every instance on one database uses the same value:
 * - refresh_derivation: derives a refresh token's successor (auth/refresh-token-format.ts);
 * - device_binding: signs the device credentials of sign-in throttling (abuse/device-credential.ts);
 * - code_binding: keys the HMACs under which one-time codes are stored (auth/one-time-codes.ts).
 */
export type ServerSecretName = "refresh_derivation" | "device_binding" | "code_binding";

const SECRET_BYTES = 32;

/** The authenticated data a secret is sealed under: its name, so a sealed value cannot be moved to another row. */
function aad(name: ServerSecretName): string {
  return `server-secret:${name}`;
}

/**
 * A server secret, sealed at rest with the key-encryption key like the signing keys (AES-256-GCM,
 * key-encryption.ts), or stored `plain.` in development without one. Created at first use.
 *
 * Rows written before secrets were sealed hold the raw value: the first server with this code
 * seals it in place, keeping the value in use — for `refresh_derivation` with a KEK that is the
 * HMAC of the raw value under the KEK, which is what such servers derived successors with — so
 * a refresh retried across the upgrade still gets the same successor. A plain value meets a KEK
 * the same way (a development database moved to production): sealed in place, value kept.
 *
 * @example
 * const key = await loadServerSecret(db, "refresh_derivation", { kek: config.keyEncryptionKey });
 */
export async function loadServerSecret(
  db: Database,
  name: ServerSecretName,
  options: { kek: Buffer | undefined },
): Promise<Buffer> {
  const kek = options.kek;
  const what = `The server secret ${name}`;
  await db.query(
    "INSERT INTO server_secrets (name, secret, sealed) VALUES ($1, NULL, $2) ON CONFLICT (name) DO NOTHING",
    [name, sealSecret(randomBytes(SECRET_BYTES), { name: aad(name), kek })],
  );
  const row = (
    await db.query<{ secret: Uint8Array | null; sealed: string | null }>(
      "SELECT secret, sealed FROM server_secrets WHERE name = $1",
      [name],
    )
  ).rows[0];
  if (row?.sealed) {
    if (kek === undefined || row.sealed.startsWith("v1."))
      return openSecret(row.sealed, { name: aad(name), kek, what });
    // plain, and a KEK is configured now: seal the value in place.
    const value = openSecret(row.sealed, { name: aad(name), kek: undefined, what });
    return sealInPlace(db, name, value, { kek, previous: row.sealed });
  }
  if (!row?.secret) throw new Error(`${what} has no value; delete its row to have a new one created`);
  const raw = Buffer.from(row.secret);
  const value =
    name === "refresh_derivation" && kek !== undefined
      ? createHmac("sha256", kek).update("sigil/refresh-derivation/v1\0").update(raw).digest()
      : raw;
  return sealInPlace(db, name, value, { kek, previous: null });
}

/** Seals `value` into the row unless another instance did first; returns the value the row holds then. */
async function sealInPlace(
  db: Database,
  name: ServerSecretName,
  value: Buffer,
  options: { kek: Buffer | undefined; previous: string | null },
): Promise<Buffer> {
  const sealed = sealSecret(value, { name: aad(name), kek: options.kek });
  const updated = await db.query(
    `UPDATE server_secrets SET sealed = $2, secret = NULL
     WHERE name = $1 AND ${options.previous === null ? "sealed IS NULL" : "sealed = $3"}`,
    options.previous === null ? [name, sealed] : [name, sealed, options.previous],
  );
  if (updated.rowCount === 1) return value;
  return loadServerSecret(db, name, { kek: options.kek });
}
