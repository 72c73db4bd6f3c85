import { JWT_ERRORS, type JWTErrorCode } from "./codes.js";

/**
 * Structured facts about a failure, for logs and tooling. Never a token, secret or password:
 * claim names, expected values from configuration, times and durations only.
 */
export interface JWTErrorDetails {
  claim?: string;
  expected?: string | readonly string[];
  /** The offending value when it is safe to show (an algorithm name, a typ, a time). */
  actual?: string | number;
  /** For time checks: how far off, in seconds. */
  seconds?: number;
  kid?: string;
  alg?: string;
  /** For checks of an option: its name. */
  option?: string;
}

/**
 * The one error class of the JWT engine. `code` is stable; `message` is an explanation for the
 * operator with the numbers that matter ("expired 8 h 3 min ago (exp …, server time …)").
 * Neither ever contains the token or a secret. Do not send `message` to clients: use
 * {@link toClientError}.
 */
export class JWTError extends Error {
  override readonly name = "JWTError";
  readonly code: JWTErrorCode;
  readonly details: Readonly<JWTErrorDetails>;

  constructor(code: JWTErrorCode, explanation?: string, details: JWTErrorDetails = {}) {
    super(explanation ?? JWT_ERRORS[code].summary);
    this.code = code;
    this.details = details;
  }

  /** What the operator can do about it. */
  get fix(): string {
    return JWT_ERRORS[this.code].fix;
  }
}

/** Type guard for {@link JWTError}, optionally of one code. */
export function isJWTError(value: unknown, code?: JWTErrorCode): value is JWTError {
  return value instanceof JWTError && (code === undefined || value.code === code);
}
