import { type Client, toClient } from "../clients/client.js";
import { findClient } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import {
  AuthorizationError,
  type AuthorizationErrorCode,
  type RedirectTarget,
  UnverifiedClientError,
} from "./authorization-error.js";
import { isValidCodeChallenge } from "./pkce.js";
import { type OidcScope, parseScopes } from "./scopes.js";

/** The parameters of GET /oauth/authorize as Fastify parses a query: a repeated one is an array. */
export type AuthorizationQuery = Record<string, string | string[] | undefined>;

export type Prompt = "none" | "login" | "consent";

/** An authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1) that passed every check. */
export interface AuthorizationRequest {
  readonly client: Client;
  /** Where the code or a refusal goes. */
  readonly target: RedirectTarget;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly scopes: readonly OidcScope[];
  readonly codeChallenge: string;
  readonly prompt: ReadonlySet<Prompt>;
  /** Seconds: a sign-in older than this must be repeated (OpenID Connect Core §3.1.2.1). */
  readonly maxAge: number | undefined;
  readonly loginHint: string | undefined;
}

const MAX_LENGTH: Record<string, number> = { state: 2048, nonce: 512, login_hint: 320, scope: 512 };

/**
 * Reads and checks an authorization request, in the order that decides where a refusal may go:
 * first the client and its redirect URI — until both are known and match exactly, a refusal is an
 * UnverifiedClientError (a page for the person, never a redirect: RFC 6749 §4.1.2.1); after that,
 * an AuthorizationError carrying the redirect target. Only the code flow with PKCE S256 exists.
 */
export async function readAuthorizationRequest(
  db: Queryable,
  query: AuthorizationQuery,
): Promise<AuthorizationRequest> {
  const clientId = single(query, "client_id");
  if (clientId === undefined || clientId === null) throw new UnverifiedClientError("client_id missing or repeated");
  const row = clientId.length <= 128 ? await findClient(db, clientId) : null;
  if (row === null || row.disabledAt !== null)
    throw new UnverifiedClientError(`unknown or disabled client ${clientId.slice(0, 128)}`);
  const client = toClient(row);
  const redirectUri = single(query, "redirect_uri");
  if (redirectUri === undefined || redirectUri === null) {
    throw new UnverifiedClientError(`client ${client.id}: redirect_uri missing or repeated`);
  }
  // Exact string comparison (RFC 9700 §4.1.3): no prefix, no pattern, no normalisation.
  if (!client.redirectUris.includes(redirectUri)) {
    throw new UnverifiedClientError(`client ${client.id}: redirect_uri ${redirectUri.slice(0, 300)} is not registered`);
  }

  const rawState = single(query, "state");
  const state = typeof rawState === "string" && rawState.length <= MAX_LENGTH.state! ? rawState : undefined;
  const target: RedirectTarget = { redirectUri, state };
  const refuse = (code: AuthorizationErrorCode, description: string): never => {
    throw new AuthorizationError(code, description, target);
  };
  if (rawState === null || (typeof rawState === "string" && state === undefined)) {
    refuse("invalid_request", "state is repeated or longer than 2048 characters");
  }
  if (query.request !== undefined) refuse("request_not_supported", "request objects are not supported");
  if (query.request_uri !== undefined) refuse("request_uri_not_supported", "request_uri is not supported");
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) refuse("invalid_request", `${name} is repeated`);
    const max = MAX_LENGTH[name] ?? 2048;
    if (typeof value === "string" && value.length > max)
      refuse("invalid_request", `${name} is longer than ${max} characters`);
  }
  const value = (name: string): string | undefined => query[name] as string | undefined;

  if (!client.grantTypes.includes("authorization_code")) {
    refuse("unauthorized_client", "the client is not registered for the authorization code flow");
  }
  const responseType = value("response_type");
  if (responseType === undefined) refuse("invalid_request", "response_type is missing");
  if (responseType !== "code") refuse("unsupported_response_type", "only response_type=code is supported");
  const responseMode = value("response_mode");
  if (responseMode !== undefined && responseMode !== "query")
    refuse("invalid_request", "only response_mode=query is supported");
  const scopes = parseScopes(value("scope"));
  if (scopes === null)
    refuse("invalid_scope", "scope names an unknown scope (known: openid profile email offline_access)");

  const codeChallenge = value("code_challenge");
  if (codeChallenge === undefined) refuse("invalid_request", "code_challenge is required (PKCE, RFC 7636)");
  if (value("code_challenge_method") !== "S256") {
    refuse("invalid_request", "code_challenge_method must be S256 (plain is not accepted)");
  }
  if (!isValidCodeChallenge(codeChallenge as string)) {
    refuse("invalid_request", "code_challenge must be 43 base64url characters (S256 of the code_verifier)");
  }

  const prompt = new Set<Prompt>();
  for (const word of (value("prompt") ?? "").split(" ").filter((w) => w !== "")) {
    if (word !== "none" && word !== "login" && word !== "consent") {
      refuse("invalid_request", `prompt=${word.slice(0, 40)} is not supported (none, login, consent)`);
    }
    prompt.add(word as Prompt);
  }
  if (prompt.has("none") && prompt.size > 1)
    refuse("invalid_request", "prompt=none cannot be combined with another value");

  const rawMaxAge = value("max_age");
  let maxAge: number | undefined;
  if (rawMaxAge !== undefined) {
    if (!/^\d{1,9}$/.test(rawMaxAge)) refuse("invalid_request", "max_age must be a whole number of seconds");
    maxAge = Number(rawMaxAge);
  }

  return {
    client,
    target,
    redirectUri,
    state,
    nonce: value("nonce"),
    scopes: scopes as OidcScope[],
    codeChallenge: codeChallenge as string,
    prompt,
    maxAge,
    loginHint: value("login_hint"),
  };
}

/** A parameter given once: its value; undefined when absent; null when repeated. */
function single(query: AuthorizationQuery, name: string): string | undefined | null {
  const value = query[name];
  if (Array.isArray(value)) return null;
  return value;
}
