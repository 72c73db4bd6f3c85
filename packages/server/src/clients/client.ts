import type { ClientRow } from "../store/clients.js";

/** Grant types a registered client may be allowed (RFC 6749 §4.1, §4.3, §4.4, §6). */
export type GrantType = "authorization_code" | "password" | "refresh_token" | "client_credentials";

export const GRANT_TYPES: readonly GrantType[] = [
  "authorization_code",
  "password",
  "refresh_token",
  "client_credentials",
];

/** The client_id of sessions started through /auth/login: the server's own first-party API. */
export const FIRST_PARTY_CLIENT_ID = "first-party";

/** The client_id of browser sessions started on the hosted sign-in pages (src/pages). */
export const HOSTED_PAGES_CLIENT_ID = "sigil-pages";

/**
 * What a client may do beyond getting tokens for itself (least privilege: granted one by one).
 * - introspection: ask POST /oauth/introspect about tokens (RFC 7662 §2.1 lets the server decide who may);
 * - revocation-feed: subscribe to GET /revocations/feed, which carries user and session ids.
 */
export type ClientPermission = "introspection" | "revocation-feed";

export const CLIENT_PERMISSIONS: readonly ClientPermission[] = ["introspection", "revocation-feed"];

/** A registered client as the rest of the server sees it: never its secret hash. */
export interface Client {
  readonly id: string;
  readonly name: string;
  /** True when it holds a secret (RFC 6749 §2.1 "confidential"). */
  readonly confidential: boolean;
  readonly grantTypes: readonly GrantType[];
  /** The `aud` of its client_credentials tokens; null → the server's default audience. */
  readonly audience: string | null;
  /** The scopes it may request; its tokens get all of them when it asks for none (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
  readonly permissions: readonly ClientPermission[];
  /** Where it may receive authorization codes (compared exactly, RFC 9700 §4.1.3). */
  readonly redirectUris: readonly string[];
  /** Where it may send a browser after RP-initiated logout. */
  readonly postLogoutRedirectUris: readonly string[];
  /** The operator's own app: its users see no consent page. */
  readonly firstParty: boolean;
  readonly createdAt: Date;
}

export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    confidential: row.secretHash !== null,
    grantTypes: row.grantTypes.filter((grant): grant is GrantType =>
      (GRANT_TYPES as readonly string[]).includes(grant),
    ),
    audience: row.audience,
    scopes: [...row.scopes],
    permissions: row.permissions.filter((permission): permission is ClientPermission =>
      (CLIENT_PERMISSIONS as readonly string[]).includes(permission),
    ),
    redirectUris: [...row.redirectUris],
    postLogoutRedirectUris: [...row.postLogoutRedirectUris],
    firstParty: row.firstParty,
    createdAt: row.createdAt,
  };
}
