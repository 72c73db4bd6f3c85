import type { JWK } from "@sigil/jwt";
import type { Queryable } from "./database.js";

/** One row of `signing_keys`: a key's public half, its sealed private half and its timeline. */
export interface SigningKeyRow {
  kid: string;
  alg: string;
  /** Public members only: this column is what the JWKS is built from. */
  publicJwk: JWK;
  /** See keys/key-encryption.ts for the format. */
  privateKeyEncrypted: string;
  createdAt: Date;
  /** Signs from this instant on; published in the JWKS from the moment the row exists. */
  activatesAt: Date;
  /** Stops signing at this instant; stays published until retiresAt + access-token TTL + clock tolerance. */
  retiresAt: Date | null;
}

interface RawRow {
  kid: string;
  alg: string;
  public_jwk: JWK | string;
  private_key_encrypted: string;
  created_at: Date | string;
  activates_at: Date | string;
  retires_at: Date | string | null;
}

const COLUMNS = "kid, alg, public_jwk, private_key_encrypted, created_at, activates_at, retires_at";

// Any constant works; it only has to be the same in every instance. ("sigil" + "keys" in ASCII.)
const SIGNING_KEYS_LOCK = "7308332660235617651";

/**
 * Serialises key creation and rotation across instances for the rest of the transaction
 * (`pg_advisory_xact_lock` is released at COMMIT/ROLLBACK, so a crash cannot leave it held).
 */
export async function lockSigningKeys(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [SIGNING_KEYS_LOCK]);
}

/** Every stored key, oldest activation first. */
export async function listSigningKeys(db: Queryable): Promise<SigningKeyRow[]> {
  const result = await db.query<RawRow>(`SELECT ${COLUMNS} FROM signing_keys ORDER BY activates_at, kid`);
  return result.rows.map(toRow);
}

export async function insertSigningKey(db: Queryable, row: SigningKeyRow): Promise<void> {
  await db.query(`INSERT INTO signing_keys (${COLUMNS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`, [
    row.kid,
    row.alg,
    JSON.stringify(row.publicJwk),
    row.privateKeyEncrypted,
    row.createdAt,
    row.activatesAt,
    row.retiresAt,
  ]);
}

/** Sets a key's retirement, never pushing an earlier one later. */
export async function retireSigningKey(db: Queryable, kid: string, retiresAt: Date): Promise<void> {
  await db.query("UPDATE signing_keys SET retires_at = $2 WHERE kid = $1 AND (retires_at IS NULL OR retires_at > $2)", [
    kid,
    retiresAt,
  ]);
}

/** Deletes keys retired before `retiredBefore` (no unexpired token can carry their signature). */
export async function deleteRetiredSigningKeys(db: Queryable, retiredBefore: Date): Promise<number> {
  const result = await db.query("DELETE FROM signing_keys WHERE retires_at IS NOT NULL AND retires_at < $1", [
    retiredBefore,
  ]);
  return result.rowCount;
}

function toRow(raw: RawRow): SigningKeyRow {
  return {
    kid: raw.kid,
    alg: raw.alg,
    publicJwk: typeof raw.public_jwk === "string" ? (JSON.parse(raw.public_jwk) as JWK) : raw.public_jwk,
    privateKeyEncrypted: raw.private_key_encrypted,
    createdAt: new Date(raw.created_at),
    activatesAt: new Date(raw.activates_at),
    retiresAt: raw.retires_at === null ? null : new Date(raw.retires_at),
  };
}
