import { randomBytes } from "node:crypto";
import { insertClient } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import { type Client, type ClientPermission, GRANT_TYPES, type GrantType, toClient } from "./client.js";
import { checkPermissions } from "./client-permissions.js";
import { generateClientSecret, hashClientSecret } from "./client-secret.js";
import { checkRedirectUris } from "./redirect-uris.js";

export interface CreateClientInput {
  name: string;
  grantTypes: readonly GrantType[];
  /** The `aud` of its client_credentials tokens; omitted → the server's default audience. */
  audience?: string | undefined;
  scopes?: readonly string[] | undefined;
  /** Public clients (first-party apps that cannot keep a secret) get no secret (RFC 6749 §2.1). */
  confidential?: boolean | undefined;
  /** What it may do beyond getting tokens (default: nothing). Only a confidential client may be granted any. */
  permissions?: readonly ClientPermission[] | undefined;
  /** A chosen id; by default a random one. */
  id?: string | undefined;
  /** Where it receives authorization codes: required with the authorization_code grant. */
  redirectUris?: readonly string[] | undefined;
  /** Where it may send a browser after RP-initiated logout. */
  postLogoutRedirectUris?: readonly string[] | undefined;
  /** The operator's own app: its users are not asked for consent. */
  firstParty?: boolean | undefined;
}

export interface CreatedClient {
  client: Client;
  /** Shown once: only its hash is stored. Null for a public client. */
  secret: string | null;
}

// Unreserved URI characters only (RFC 3986 §2.3): an id survives Basic auth, forms and URLs unchanged.
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Registers a client and returns its secret, which is not stored and cannot be shown again.
 *
 * @example
 * const { client, secret } = await createClient(db, { name: "billing", grantTypes: ["client_credentials"], audience: "https://billing.internal", scopes: ["invoices:read"] });
 */
export async function createClient(db: Queryable, input: CreateClientInput): Promise<CreatedClient> {
  const id = input.id ?? `client_${randomBytes(12).toString("base64url")}`;
  if (!CLIENT_ID.test(id)) throw new TypeError("client id: use 1-128 letters, digits, '.', '_', '~' or '-'");
  if (input.name.trim() === "") throw new TypeError("client name must not be empty");
  for (const grant of input.grantTypes) {
    if (!GRANT_TYPES.includes(grant)) throw new TypeError(`unknown grant type: ${String(grant)}`);
  }
  const scopes = [...new Set(input.scopes ?? [])];
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new TypeError(`invalid scope: ${JSON.stringify(scope)} (RFC 6749 §3.3)`);
  }
  const confidential = input.confidential ?? true;
  if (!confidential && input.grantTypes.includes("client_credentials")) {
    // RFC 6749 §4.4: the client credentials grant MUST only be used by confidential clients.
    throw new TypeError("a public client cannot use the client_credentials grant");
  }
  const permissions = checkPermissions(input.permissions ?? [], { confidential });
  const redirectUris = checkRedirectUris(input.redirectUris ?? []);
  const postLogoutRedirectUris = checkRedirectUris(input.postLogoutRedirectUris ?? []);
  if (input.grantTypes.includes("authorization_code") && redirectUris.length === 0) {
    throw new TypeError("the authorization_code grant needs at least one redirect URI, where codes are sent");
  }
  if (
    !input.grantTypes.includes("authorization_code") &&
    (redirectUris.length > 0 || postLogoutRedirectUris.length > 0)
  ) {
    throw new TypeError("redirect URIs are for clients with the authorization_code grant");
  }
  const secret = confidential ? generateClientSecret() : null;
  const row = await insertClient(db, {
    id,
    secretHash: secret === null ? null : hashClientSecret(secret),
    name: input.name.trim(),
    grantTypes: [...new Set(input.grantTypes)],
    audience: input.audience ?? null,
    scopes,
    permissions,
    redirectUris,
    postLogoutRedirectUris,
    firstParty: input.firstParty ?? false,
  });
  return { client: toClient(row), secret };
}
