import { CLIENT_ERRORS, type ClientErrorAction, type ClientErrorCode } from "./codes.js";

/**
 * Structured facts about a failure. Never a token, a password or the server's free-text
 * description: status codes, the server's `error` code, its refusal keyword, a wait time.
 */
export interface ClientErrorDetails {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The server's `error` (RFC 6749 §5.2), e.g. `invalid_grant`, `temporarily_unavailable`. */
  serverError?: string;
  /**
   * Why a refresh was refused: the keyword that starts the server's `error_description`
   * (`refresh_token_reused`, `session_revoked`, `session_expired`, `unknown_token`, `missing_token`).
   */
  keyword?: string;
  /** From `Retry-After` (RFC 9110 §10.2.3) on a 429 or 503. */
  retryAfterSeconds?: number;
  /** The underlying failure (a fetch `TypeError` for NETWORK_ERROR). */
  cause?: unknown;
}

/**
 * The one error class of `@sigil/client`. Switch on `code`, or simply on `action`:
 *
 * @example
 * try {
 *   await client.signIn({ email, password });
 * } catch (error) {
 *   if (!isSigilClientError(error)) throw error;
 *   if (error.code === "RATE_LIMITED") showWait(error.retryAfterSeconds);
 *   else if (error.action === "retry") showOffline();
 *   else showSignInError(error.code);
 * }
 */
export class SigilClientError extends Error {
  override readonly name = "SigilClientError";
  readonly code: ClientErrorCode;
  readonly action: ClientErrorAction;
  readonly status?: number;
  readonly serverError?: string;
  readonly keyword?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: ClientErrorCode, details: ClientErrorDetails = {}) {
    const { cause, ...facts } = details;
    super(
      CLIENT_ERRORS[code].summary + (facts.keyword ? ` (${facts.keyword})` : ""),
      cause === undefined ? undefined : { cause },
    );
    this.code = code;
    this.action = CLIENT_ERRORS[code].action;
    Object.assign(this, facts);
  }
}

/** Type guard for {@link SigilClientError}, optionally of one code. */
export function isSigilClientError(value: unknown, code?: ClientErrorCode): value is SigilClientError {
  return value instanceof SigilClientError && (code === undefined || value.code === code);
}
