import type { Queryable } from "./database.js";

/** One row of `clients`: a registered OAuth client. */
export interface ClientRow {
  id: string;
  /** `sha256:<base64url>` of the client secret (see clients/client-secret.ts); null for a public client. */
  secretHash: string | null;
  name: string;
  grantTypes: string[];
  /** The `aud` of its client_credentials tokens; null means the server's default audience. */
  audience: string | null;
  scopes: string[];
  /** What it may do beyond getting tokens ("introspection", "revocation-feed"). */
  permissions: string[];
  /** Where it may receive authorization codes (compared exactly). */
  redirectUris: string[];
  /** Where it may send a browser after RP-initiated logout (compared exactly). */
  postLogoutRedirectUris: string[];
  /** The operator's own app: no consent page. */
  firstParty: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

interface RawRow {
  id: string;
  secret_hash: string | null;
  name: string;
  grant_types: string[];
  audience: string | null;
  scopes: string[];
  permissions: string[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  first_party: boolean;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

const COLUMNS =
  "id, secret_hash, name, grant_types, audience, scopes, permissions, redirect_uris, post_logout_redirect_uris, first_party, created_at, disabled_at";

export async function insertClient(
  db: Queryable,
  row: Omit<ClientRow, "createdAt" | "disabledAt">,
): Promise<ClientRow> {
  const result = await db.query<RawRow>(
    `INSERT INTO clients (id, secret_hash, name, grant_types, audience, scopes, permissions, redirect_uris, post_logout_redirect_uris, first_party)
     VALUES ($1, $2, $3, $4::text[], $5, $6::text[], $7::text[], $8::text[], $9::text[], $10) RETURNING ${COLUMNS}`,
    [
      row.id,
      row.secretHash,
      row.name,
      row.grantTypes,
      row.audience,
      row.scopes,
      row.permissions,
      row.redirectUris,
      row.postLogoutRedirectUris,
      row.firstParty,
    ],
  );
  const inserted = result.rows[0];
  if (!inserted) throw new Error("INSERT INTO clients returned no row");
  return toRow(inserted);
}

export async function findClient(db: Queryable, id: string): Promise<ClientRow | null> {
  const result = await db.query<RawRow>(`SELECT ${COLUMNS} FROM clients WHERE id = $1`, [id]);
  const raw = result.rows[0];
  return raw ? toRow(raw) : null;
}

export async function listClients(db: Queryable): Promise<ClientRow[]> {
  const result = await db.query<RawRow>(`SELECT ${COLUMNS} FROM clients ORDER BY created_at, id`);
  return result.rows.map(toRow);
}

/** Replaces a client's permissions; the row after the change, or null for an unknown client. */
export async function setClientPermissions(
  db: Queryable,
  id: string,
  permissions: readonly string[],
): Promise<ClientRow | null> {
  const result = await db.query<RawRow>(
    `UPDATE clients SET permissions = $2::text[] WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, [...permissions]],
  );
  const updated = result.rows[0];
  return updated ? toRow(updated) : null;
}

/** Replaces a client's redirect URIs (either list, when given); the row after, or null for an unknown client. */
export async function setClientRedirectUris(
  db: Queryable,
  id: string,
  uris: { redirectUris?: readonly string[]; postLogoutRedirectUris?: readonly string[] },
): Promise<ClientRow | null> {
  const result = await db.query<RawRow>(
    `UPDATE clients SET redirect_uris = COALESCE($2::text[], redirect_uris),
       post_logout_redirect_uris = COALESCE($3::text[], post_logout_redirect_uris)
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      uris.redirectUris ? [...uris.redirectUris] : null,
      uris.postLogoutRedirectUris ? [...uris.postLogoutRedirectUris] : null,
    ],
  );
  const updated = result.rows[0];
  return updated ? toRow(updated) : null;
}

export async function disableClient(db: Queryable, id: string, at: Date): Promise<boolean> {
  const result = await db.query("UPDATE clients SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL", [id, at]);
  return result.rowCount > 0;
}

function toRow(raw: RawRow): ClientRow {
  return {
    id: raw.id,
    secretHash: raw.secret_hash,
    name: raw.name,
    grantTypes: [...raw.grant_types],
    audience: raw.audience,
    scopes: [...raw.scopes],
    permissions: [...raw.permissions],
    redirectUris: [...raw.redirect_uris],
    postLogoutRedirectUris: [...raw.post_logout_redirect_uris],
    firstParty: raw.first_party,
    createdAt: new Date(raw.created_at),
    disabledAt: raw.disabled_at === null ? null : new Date(raw.disabled_at),
  };
}
