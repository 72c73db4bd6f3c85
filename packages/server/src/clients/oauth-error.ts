/**
 * The error codes of the OAuth endpoints (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3).
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
