import { findClient } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import { type Client, toClient } from "./client.js";
import { verifyClientSecret } from "./client-secret.js";
import { OAuthError } from "./oauth-error.js";

/** What an OAuth endpoint received: the Authorization header and the form fields. */
export interface ClientCredentialsRequest {
  authorization?: string | undefined;
  body: { client_id?: unknown; client_secret?: unknown };
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post";

/** How the caller identified itself. */
export type ClientAuthentication =
  /** Proved possession of its secret. */
  | { kind: "authenticated"; client: Client; method: ClientAuthMethod }
  /** Named a registered public client (no secret exists to prove; RFC 6749 §2.1, §3.2.1). */
  | { kind: "public"; client: Client }
  /** Sent no client credentials at all. */
  | { kind: "none" };

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "client_secret_post"];

const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;
const MAX_CREDENTIAL_LENGTH = 512;

/**
 * Authenticates the client of an OAuth request: `client_secret_basic` (RFC 6749 §2.3.1, id and
 * secret form-urlencoded before base64) or `client_secret_post` (the same in the form body).
 * Throws OAuthError `invalid_client` (401) for any failure — unknown, disabled, wrong secret —
 * after the same hash and constant-time comparison, so neither answer nor timing tells which.
 * Throws `invalid_request` when two methods are used at once (RFC 6749 §2.3).
 */
export async function authenticateClient(
  db: Queryable,
  request: ClientCredentialsRequest,
): Promise<ClientAuthentication> {
  const credentials = readCredentials(request);
  if (credentials === undefined) return { kind: "none" };
  const row = await findClient(db, credentials.id);
  const usable = row !== null && row.disabledAt === null;
  if (credentials.secret === undefined) {
    if (usable && row.secretHash === null) return { kind: "public", client: toClient(row) };
    throw invalidClient(usable ? "confidential client sent no secret" : "unknown or disabled client");
  }
  // Always hash and compare, even for an unknown or public client (same cost on every path).
  const matches = verifyClientSecret(credentials.secret, usable ? row.secretHash : null);
  if (!usable || !matches) throw invalidClient(usable ? "wrong client secret" : "unknown or disabled client");
  return { kind: "authenticated", client: toClient(row), method: credentials.method };
}

/** Like {@link authenticateClient}, but only a client that proved its secret passes (RFC 7009 §2.1, RFC 7662 §2.1). */
export async function requireAuthenticatedClient(db: Queryable, request: ClientCredentialsRequest): Promise<Client> {
  const result = await authenticateClient(db, request);
  if (result.kind === "authenticated") return result.client;
  throw invalidClient(result.kind === "none" ? "no client authentication" : "public client cannot authenticate");
}

/**
 * A client that proved its secret, or a registered public client naming itself by client_id:
 * RFC 7009 §2.1 asks for credentials only "in case of a confidential client". A public client
 * has none to prove (RFC 6749 §2.1), so for it possession of the token is the proof, and it can
 * revoke only tokens issued to it; a request naming no client at all is still `invalid_client`.
 */
export async function requireIdentifiedClient(db: Queryable, request: ClientCredentialsRequest): Promise<Client> {
  const result = await authenticateClient(db, request);
  if (result.kind !== "none") return result.client;
  throw invalidClient("no client authentication");
}

interface Credentials {
  id: string;
  secret: string | undefined;
  method: ClientAuthMethod;
}

function readCredentials(request: ClientCredentialsRequest): Credentials | undefined {
  const bodyId = optionalString(request.body.client_id, "client_id");
  const bodySecret = optionalString(request.body.client_secret, "client_secret");
  if (request.authorization !== undefined && request.authorization !== "") {
    const basic = parseBasic(request.authorization);
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    if (bodySecret !== undefined) {
      throw new OAuthError("invalid_request", "Use one client authentication method, not both.");
    }
    if (bodyId !== undefined && bodyId !== basic.id) {
      throw new OAuthError("invalid_request", "client_id does not match the Authorization header.");
    }
    return { ...basic, method: "client_secret_basic" };
  }
  if (bodyId === undefined) {
    if (bodySecret !== undefined) throw new OAuthError("invalid_request", "client_secret was sent without client_id.");
    return undefined;
  }
  return { id: bodyId, secret: bodySecret, method: "client_secret_post" };
}

function parseBasic(header: string): { id: string; secret: string } {
  const match = header.length <= MAX_CREDENTIAL_LENGTH * 2 ? BASIC.exec(header) : null;
  if (!match) throw invalidClient("Authorization header is not Basic credentials");
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient("Basic credentials without ':'");
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === "" || id.length > MAX_CREDENTIAL_LENGTH || secret.length > MAX_CREDENTIAL_LENGTH) {
    throw invalidClient("Basic credentials with an empty or oversized part");
  }
  return { id, secret };
}

// RFC 6749 §2.3.1: id and secret are encoded with application/x-www-form-urlencoded (Appendix B)
// before Basic encoding, so '+' is a space and %XX an octet of UTF-8.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    throw invalidClient("Basic credentials are not form-urlencoded");
  }
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "" || value.length > MAX_CREDENTIAL_LENGTH) {
    throw new OAuthError("invalid_request", `${name} must be a non-empty string, sent once.`);
  }
  return value;
}

function invalidClient(reason: string): OAuthError {
  return new OAuthError("invalid_client", "Client authentication failed.", { reason });
}
