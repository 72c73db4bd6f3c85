/**
 * The errors of the authorization endpoint (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).
 * Once the client and its redirect URI are known, they go back to the client on the redirect URI
 * (`error`, `error_description`, `state`, `iss`); before that, only a page is shown to the person,
 * never a redirect (an unchecked redirect URI would be an open redirect).
 */
/**
 * Codes the authorization endpoint shares with the token endpoint; their meaning at both is in
 * OAUTH_ERRORS (clients/oauth-error.ts), so docs/errors.md has one row per code.
 */
type SharedCode = "invalid_request" | "unauthorized_client" | "invalid_scope";

/** What each code of the authorization endpoint alone means in Sigil and how to solve it, for docs/errors.md. */
export const AUTHORIZATION_ERRORS = {
  access_denied: {
    summary: "The user declined the consent page.",
    fix: "Nothing to fix: tell the user the app was not allowed, and offer to try again.",
  },
  unsupported_response_type: {
    summary: "response_type is not `code`: Sigil has no implicit or hybrid flow (OAuth 2.1, RFC 9700 §2.1.2).",
    fix: "Use response_type=code with PKCE.",
  },
  login_required: {
    summary:
      "prompt=none, but the browser has no session (or an older one than max_age allows): the user would have to sign in.",
    fix: "Start the request again without prompt=none, so the user sees the sign-in page.",
  },
  consent_required: {
    summary: "prompt=none, but the user has not yet allowed this third-party client the requested scopes.",
    fix: "Start the request again without prompt=none, so the user sees the consent page.",
  },
  request_not_supported: {
    summary: "The request carried a `request` object (OpenID Connect Core §6), which Sigil does not accept.",
    fix: "Send the parameters in the query string.",
  },
  request_uri_not_supported: {
    summary: "The request carried a `request_uri` (OpenID Connect Core §6, RFC 9126), which Sigil does not accept.",
    fix: "Send the parameters in the query string.",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type AuthorizationErrorCode = SharedCode | keyof typeof AUTHORIZATION_ERRORS;

/** Where a refusal is sent: the client's checked redirect URI and the request's state. */
export interface RedirectTarget {
  readonly redirectUri: string;
  readonly state: string | undefined;
}

/** A refusal by the authorization endpoint, sent back to the client on its redirect URI. */
export class AuthorizationError extends Error {
  override readonly name = "AuthorizationError";
  readonly code: AuthorizationErrorCode;
  readonly target: RedirectTarget;

  constructor(code: AuthorizationErrorCode, description: string, target: RedirectTarget) {
    super(description);
    this.code = code;
    this.target = target;
  }
}

/**
 * A request that cannot be answered on a redirect URI — the client is unknown or disabled, or the
 * redirect_uri is not one it registered — so the person gets a page saying so, and the log the
 * reason.
 */
export class UnverifiedClientError extends Error {
  override readonly name = "UnverifiedClientError";
  readonly reason: string;

  constructor(reason: string) {
    super("The application that sent you here is not registered with this server, or sent you with a wrong address.");
    this.reason = reason;
  }
}
