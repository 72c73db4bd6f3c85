/**
 * The auth layer's error catalogue: one entry per failure, with the HTTP status and the
 * public `error` code (RFC 6749 §5.2 names where one fits) it maps to. The HTTP error handler
 * (src/http/error-handler.ts) is the only place these become responses.
 */
export const AUTH_ERRORS = {
  // Wrong email or password: identical for an unknown account (no account enumeration).
  invalid_credentials: {
    status: 401,
    error: "invalid_grant",
    description: "The email or password is incorrect.",
    fix: "The user retries with the right password; repeated failures are rate limited. For an imported user, check the import report.",
  },
  // The four refresh refusals: the `code` itself is the error_description's keyword, so a client
  // can tell "log in again" (reused, revoked, expired, unknown) apart by a stable word.
  refresh_token_reused: {
    status: 401,
    error: "invalid_grant",
    description: "refresh_token_reused: this refresh token was already used; the session has been ended.",
    fix: "The client must log in again. A reuse outside the grace window means two parties held the token (theft, or a client that stores tokens badly); raise SIGIL_REFRESH_GRACE_WINDOW only for legitimate races.",
  },
  session_revoked: {
    status: 401,
    error: "invalid_grant",
    description: "session_revoked: the session has ended.",
    fix: "The client must log in again: the session was ended by logout, logout-all, a password change or an operator.",
  },
  session_expired: {
    status: 401,
    error: "invalid_grant",
    description: "session_expired: the session has expired.",
    fix: "The client must log in again: the session passed its absolute lifetime or idle timeout (SIGIL_REFRESH_ABSOLUTE_TTL, SIGIL_REFRESH_IDLE_TTL).",
  },
  // RFC 6749 §5.2 invalid_grant: "… or was issued to another client." The token is left as it was.
  wrong_client: {
    status: 401,
    error: "invalid_grant",
    description: "wrong_client: the refresh token was not issued to this client.",
    fix: "Refresh with the client the token was issued to: /auth/refresh for tokens from /auth/login, /oauth/token authenticated as (or naming, if public) the client that obtained it. The server log names the client that tried.",
  },
  unknown_token: {
    status: 401,
    error: "invalid_grant",
    description: "unknown_token: the refresh token is not recognized.",
    fix: "The client must log in again; check that it sends the latest refresh token, whole and unaltered.",
  },
  // Cookie mode (http/cookie-mode.ts). A refresh without its cookie: the keyword `missing_token`
  // tells a browser client "not signed in" (no cookie: never signed in, or cleared) from "ended".
  missing_refresh_cookie: {
    status: 401,
    error: "invalid_grant",
    description: "missing_token: no refresh cookie was sent; sign in first.",
    fix: "Sign in (POST /auth/login with Sigil-Refresh-Cookie: 1). If the app did sign in: the browser did not send the cookie — the app's page must be on the auth server's site (SameSite=Strict) and fetch with credentials: 'include'; over https the cookie is Secure.",
  },
  // The refresh cookie arrived on a request that did not ask for cookie mode: a cross-site form,
  // or a script that cannot set the header. Refused, so the cookie never authenticates a request
  // another site could have made (CSRF).
  refresh_cookie_without_header: {
    status: 403,
    error: "invalid_request",
    description: "The refresh cookie is only accepted with the Sigil-Refresh-Cookie: 1 header.",
    fix: "Browser apps send `Sigil-Refresh-Cookie: 1` with every request to /auth/refresh and /auth/logout (@sigil/client does). A request without it came from somewhere else — a form on another site, say — and the server log says so.",
  },
  // Cookie mode asked for from an Origin the operator did not list, or without one (CSRF defence).
  origin_not_allowed: {
    status: 403,
    error: "invalid_request",
    description: "Cookie mode is only available to the web origins this server lists.",
    fix: "Add the app's origin (scheme, host and port exactly) to SIGIL_WEB_ORIGINS, or serve the app from the auth server's own origin. The server log names the Origin that was refused.",
  },
  // Cookie mode takes the refresh token from the cookie only: two credentials would be ambiguous.
  cookie_mode_conflict: {
    status: 400,
    error: "invalid_request",
    description: "In cookie mode the refresh token comes from the cookie: send {} without refresh_token.",
    fix: "Either send Sigil-Refresh-Cookie: 1 and no refresh_token (cookie mode), or the refresh_token in the body and no such header (body mode).",
  },
  // RFC 6750 §3.1: a rejected access token. The reason (a JWT error code, "revoked") is logged only.
  invalid_token: {
    status: 401,
    error: "invalid_token",
    description: "The access token is invalid.",
    fix: "Get a new access token (refresh). The server log names the reason by its JWT error code.",
  },
  // RFC 6750 §3.1 invalid_token, with a reason of its own: a service (client_credentials) token,
  // valid but not a user's, at an endpoint that acts for a user.
  user_token_required: {
    status: 401,
    error: "invalid_token",
    description: "This endpoint acts for a user; a service token (client_credentials) is not accepted here.",
    fix: "Call user endpoints (/auth/*, /userinfo, /auth/verify) with a user's access token. A service's own token is for the APIs that accept services; its audience is SIGIL_SERVICE_AUDIENCE unless its client was registered with --audience.",
  },
  // RFC 6750 §3.1: no credentials at all — the WWW-Authenticate challenge then carries no error code.
  missing_token: {
    status: 401,
    error: "missing_token",
    description: "This endpoint requires a Bearer access token.",
    fix: "Send the access token as `Authorization: Bearer <token>`.",
  },
  rate_limited: {
    status: 429,
    error: "rate_limited",
    description: "Too many failed logins; retry later.",
    fix: "Wait for Retry-After. Tune SIGIL_LOGIN_ACCOUNT_FAILURES, SIGIL_LOGIN_ADDRESS_FAILURES and SIGIL_LOGIN_MAX_BLOCK if legitimate users hit it.",
  },
  recovery_limited: {
    status: 429,
    error: "rate_limited",
    description: "Too many attempts; retry later.",
    fix: "Wait for Retry-After. Codes and recovery mails are throttled like sign-ins (SIGIL_LOGIN_ACCOUNT_FAILURES and SIGIL_LOGIN_ADDRESS_FAILURES per SIGIL_LOGIN_FAILURE_WINDOW), on counters of their own.",
  },
  registrations_limited: {
    status: 429,
    error: "rate_limited",
    description: "Too many registrations; retry later.",
    fix: "Wait for Retry-After. The quotas are per client address and overall (SIGIL_REGISTRATION_ADDRESS_LIMIT, SIGIL_REGISTRATION_LIMIT per SIGIL_REGISTRATION_WINDOW): raise them for a legitimate burst (a launch, an office behind one address).",
  },
  hash_queue_full: {
    status: 503,
    error: "temporarily_unavailable",
    description: "The server is busy; retry shortly.",
    fix: "Retry after Retry-After. If it happens under normal load, add instances or cores (hashing is bounded by design).",
  },
  invalid_email: {
    status: 400,
    error: "invalid_request",
    description: "The email address is not valid.",
    fix: "Send a valid email address.",
  },
  weak_password: {
    status: 400,
    error: "weak_password",
    description: "The password does not meet the policy.",
    fix: "Choose a longer or less common password; error_description names the rule.",
  },
  registration_disabled: {
    status: 403,
    error: "registration_disabled",
    description: "Registration is switched off on this server.",
    fix: "Enable SIGIL_REGISTRATION_ENABLED, or create users with `sigil users import`.",
  },
  invalid_current_password: {
    status: 403,
    error: "invalid_current_password",
    description: "The current password is incorrect.",
    fix: "Send the account's current password.",
  },
  email_not_verified: {
    status: 403,
    error: "email_not_verified",
    description: "Verify your email address first: enter the code we sent you, or ask for a new one.",
    fix: "The user enters the code from the verification mail (POST /auth/email/verify) or asks for a new one (POST /auth/email/verify/resend). SIGIL_REQUIRE_VERIFIED_EMAIL decides whether unverified accounts may sign in.",
  },
  account_recovery_disabled: {
    status: 403,
    error: "account_recovery_disabled",
    description: "Email verification and password reset are switched off on this server.",
    fix: "Set SIGIL_ACCOUNT_RECOVERY=true with a mail server (SIGIL_SMTP_URL), or reset passwords as an operator.",
  },
  code_required: {
    status: 400,
    error: "invalid_request",
    description: "Send the code from the mail (with the email address it was sent to), or the link's token.",
    fix: "Send {email, code} as the user typed them, or {token} from the mailed link's `token` parameter.",
  },
  // One answer for a wrong, expired, spent or unknown code: which it was goes to the log.
  invalid_code: {
    status: 400,
    error: "invalid_grant",
    description: "invalid_code: the code is wrong, has expired or was already used; ask for a new one.",
    fix: "The user asks for a new mail (verification: POST /auth/email/verify/resend; password reset: POST /auth/password/forgot) and uses only the latest one: a new code retires the earlier ones, and five wrong tries spend a code.",
  },
  same_email: {
    status: 400,
    error: "invalid_request",
    description: "This is already the account's email address.",
    fix: "Send the new address the account should move to.",
  },
  email_change_conflict: {
    status: 409,
    error: "email_taken",
    description: "Another account has taken this address meanwhile; choose another.",
    fix: "The user starts the change again with another address.",
  },
  session_not_found: {
    status: 404,
    error: "not_found",
    description: "No such session.",
    fix: "List the sessions with GET /auth/sessions; a session can only be ended by its own user.",
  },
} as const satisfies Record<string, { status: number; error: string; description: string; fix: string }>;

export type AuthErrorCode = keyof typeof AUTH_ERRORS;

export interface AuthErrorDetails {
  /** Seconds, for Retry-After (429, 503). */
  retryAfterSeconds?: number;
  /** A more precise public description (the password rule that failed). */
  description?: string;
  /** For the log only, never the response: e.g. the JWT error code of a rejected token. */
  internalReason?: string;
}

/** A refused auth operation. `code` is stable; `error`/`status` are its HTTP form. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly retryAfterSeconds: number | undefined;
  readonly internalReason: string | undefined;

  constructor(code: AuthErrorCode, details: AuthErrorDetails = {}) {
    const entry = AUTH_ERRORS[code];
    const description = details.description ?? entry.description;
    super(`${code}: ${description}`);
    this.code = code;
    this.status = entry.status;
    this.error = entry.error;
    this.description = description;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.internalReason = details.internalReason;
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}
