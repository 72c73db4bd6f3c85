import { VERIFIER_ERRORS, type VerifierErrorCode } from "./codes.js";

/**
 * Structured facts about a verifier failure, for logs and metrics. Never a token, secret or
 * client credential: URLs (without credentials), HTTP statuses, durations and reasons only.
 */
export interface VerifierErrorDetails {
  /** TOKEN_REVOKED: what revoked the token — its session (`sid`) or a per-user cut-off. */
  revocation?: "session" | "user";
  /** REVOCATION_STALE: how long since the feed was last heard from, or undefined if never. */
  staleForMs?: number;
  /** REVOCATION_STALE: true when verifyAsync() could still decide through introspection. */
  introspectable?: boolean;
  url?: string;
  status?: number;
  /** SUBJECT_NOT_ACCEPTED: whom the token speaks for (null: neither a user nor a service). */
  subject?: "user" | "service" | null;
  /** INSUFFICIENT_SCOPE: the scopes or roles the route requires. */
  required?: readonly string[];
}

/**
 * The verifier's error class. `code` is stable; `message` explains the failure to the operator
 * and never contains the token or a secret. Do not send it to clients: the middleware answers
 * RFC 6750 errors only.
 */
export class VerifierError extends Error {
  override readonly name = "VerifierError";
  readonly code: VerifierErrorCode;
  readonly details: Readonly<VerifierErrorDetails>;

  constructor(code: VerifierErrorCode, explanation?: string, details: VerifierErrorDetails = {}, cause?: unknown) {
    super(explanation ?? VERIFIER_ERRORS[code].summary, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }

  /** What the operator can do about it. */
  get fix(): string {
    return VERIFIER_ERRORS[this.code].fix;
  }
}

/** Type guard for {@link VerifierError}, optionally of one code. */
export function isVerifierError(value: unknown, code?: VerifierErrorCode): value is VerifierError {
  return value instanceof VerifierError && (code === undefined || value.code === code);
}
