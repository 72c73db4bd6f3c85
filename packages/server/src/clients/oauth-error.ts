/**
 * The error codes of the OAuth endpoints (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3), and the
 * ones the authorization endpoint shares with them (RFC 6749 §4.1.2.1; its own are in
 * oidc/authorization-error.ts).
 * The code and a short description are all a client ever sees; the cause goes to the log.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "unsupported_token_type";

/**
 * What each OAuth code means in Sigil and how to solve it, for docs/errors.md (the single source
 * of the doc's text). A client only ever gets the code and `error_description`; the `reason` the
 * log records (e.g. "wrong client secret") is what tells the operator which check failed.
 */
export const OAUTH_ERRORS = {
  invalid_request: {
    summary:
      "The request is malformed. At GET /oauth/authorize: no code_challenge, a code_challenge_method other than S256, a parameter repeated or too long, an unsupported prompt or response_mode, max_age not a number. At the token, revocation and introspection endpoints: not sent as `application/x-www-form-urlencoded`, a required parameter missing (grant_type, username, password, refresh_token, token), a parameter sent twice or longer than 4096 characters, a body that cannot be read (413 when it is too large), or client credentials sent two ways at once (Basic and a body client_secret, a body client_id that differs from the Basic one, client_secret without client_id).",
    fix: "Send one form-encoded body with each parameter once (error_description names the one at fault), and authenticate the client one way only: HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post). At GET /oauth/authorize (sent to the redirect URI): send response_type=code, client_id, redirect_uri, scope, state and PKCE — code_challenge, the base64url SHA-256 of a random code_verifier, with code_challenge_method=S256 (plain is refused); prompt may be none, login or consent; max_age a number of seconds. Libraries such as openid-client do this.",
  },
  invalid_client: {
    summary:
      "Client authentication failed (401 with a Basic challenge): unknown or disabled client_id, wrong secret, a confidential client without its secret, unreadable Basic credentials, or no client where one is required: an authenticated one for grant client_credentials, /oauth/introspect and /revocations/feed (public clients cannot use these), at least a registered public client named by client_id for /oauth/revoke. Every case gets the same answer, after the same secret comparison, so a caller cannot tell which.",
    fix: 'Use the client_id and client_secret that `sigil clients create` printed (`sigil clients list` shows the ids, never the secrets); with Basic, form-urlencode id and secret before base64 (RFC 6749 §2.3.1); the revocation feed takes Basic only. The server log\'s reason ("oauth request refused" or "revocation feed refused") names the failed check. A lost secret cannot be shown again: create a new client.',
  },
  invalid_grant: {
    summary:
      "The grant itself was refused: for grant authorization_code, a code that is unknown, expired, already used (a replay also ends the session the code started), issued to another client or for another redirect_uri, a code_verifier that does not match the PKCE challenge, or a browser session that ended meanwhile; for grant password, a wrong email or password (the same answer for an unknown or disabled account); for grant refresh_token, a reused, revoked, expired or unknown refresh token. Raised as the auth server's invalid_credentials, refresh_token_reused, session_revoked, session_expired or unknown_token (answered 400 here, 401 on the /auth routes); for refresh, error_description starts with that keyword.",
    fix: "For authorization_code: send the code once, at once, with the redirect_uri and code_verifier of the same authorization request (the server log's reason names the failed check); start a new authorization request after a refusal. The user must log in again; for a refresh refusal the client drops its tokens first. Do not retry a refresh token that was refused: the keyword and the auth server's table above say why it ended (a reuse outside SIGIL_REFRESH_GRACE_WINDOW ends the whole session by design).",
  },
  unauthorized_client: {
    summary:
      "The client was identified but is not registered for this grant_type (authorization_code, client_credentials, password or refresh_token) — at GET /oauth/authorize, not for authorization_code. A request that names no client at all is the first-party app's and may use password (when SIGIL_PASSWORD_GRANT is on) and refresh_token.",
    fix: "Use a grant the client is registered for (`sigil clients list` shows grants=…), or register a client with the grant it needs (`sigil clients create --grant …`); an existing client's grants cannot be changed.",
  },
  unsupported_grant_type: {
    summary:
      "/oauth/token does not support this grant_type: Sigil supports authorization_code, refresh_token and client_credentials, and password only while SIGIL_PASSWORD_GRANT is on (off by default: RFC 9700 §2.4; no implicit or device flow).",
    fix: "Send grant_type=authorization_code, refresh_token or client_credentials, spelled exactly; the server's metadata (grant_types_supported) lists what this server accepts. Apps that send passwords move to the authorization code flow (or /auth/login for first-party screens); meanwhile an operator can set SIGIL_PASSWORD_GRANT=true.",
  },
  invalid_scope: {
    summary:
      "At GET /oauth/authorize, scope names a scope other than openid, profile, email and offline_access. Grant client_credentials asked, in scope, for a scope the client is not registered with. Scopes are space-separated and case-sensitive, and every one requested must be allowed; without scope the client gets all its registered scopes.",
    fix: "At /oauth/authorize, request only the scopes in the discovery document's scopes_supported. For client_credentials, request only the client's registered scopes (`sigil clients list` shows scopes=…) or omit scope; a service that needs another scope gets its own client (`sigil clients create --scope …`).",
  },
  unsupported_token_type: {
    summary:
      "Defined by RFC 7009 §2.2.1 but never sent by Sigil: /oauth/revoke revokes access and refresh tokens alike, tells them apart by their form (token_type_hint is only a hint), and answers 200 for a token it does not know or that belongs to another client (RFC 7009 §2.2).",
    fix: "Nothing to fix on Sigil's side. A client must not read the 200 of /oauth/revoke as proof that the token existed or was its own.",
  },
} as const satisfies Record<OAuthErrorCode, { summary: string; fix: string }>;

export interface OAuthErrorOptions {
  /** HTTP status; by default 401 for invalid_client, 400 otherwise (RFC 6749 §5.2). */
  status?: number;
  /** For the log only (never sent): why, in more detail than the client may learn. */
  reason?: string;
}

/** A refusal by an OAuth endpoint, answered as `{ error, error_description }`. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly reason: string | undefined;

  constructor(code: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(description);
    this.code = code;
    this.status = options.status ?? (code === "invalid_client" ? 401 : 400);
    this.reason = options.reason;
  }
}

export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}
