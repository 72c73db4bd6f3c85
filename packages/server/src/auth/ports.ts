import type { SigningKey, VerificationKeySet } from "@sigil/jwt";
import type { ServerConfig } from "../config/config.js";

/**
 * What the auth layer needs from its neighbours, as structural interfaces: KeyManager (src/keys),
 * the password hasher, policy and login rate limiter (src/passwords, src/abuse) and the metrics
 * registry (src/observability) satisfy them without the auth layer importing their internals.
 */

/** The configuration settings the auth layer reads. */
export type AuthConfig = Pick<
  ServerConfig,
  | "issuer"
  | "audience"
  | "accessTokenTtl"
  | "refreshAbsoluteTtl"
  | "refreshIdleTtl"
  | "refreshGraceSeconds"
  | "clockTolerance"
  | "signingAlg"
  | "registrationEnabled"
  | "passwordMinLength"
  | "passwordMaxLength"
>;

/** KeyManager's signing view. */
export interface AuthKeys {
  signingKey(): SigningKey;
  readonly keyRing: VerificationKeySet;
}

/** PasswordHasher: argon2id on a bounded pool; verifies imported bcrypt hashes too. */
export interface PasswordHasherPort {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  /** The same work as a real verify, for unknown accounts (equal timing). */
  verifyDummy(password: string): Promise<false>;
}

/** checkPasswordPolicy bound to the configured lengths: null, or the rule that failed. */
export type PasswordPolicyPort = (password: string) => { rule: string; message: string } | null;

export interface RateLimitKeys {
  account: string;
  ip: string;
}

/** LoginRateLimiter: failed-login back-off per account and per address. */
export interface LoginRateLimiterPort {
  check(keys: RateLimitKeys): Promise<RateLimitDecision> | RateLimitDecision;
  recordFailure(keys: RateLimitKeys): Promise<void> | void;
  recordSuccess(keys: RateLimitKeys): Promise<void> | void;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** prom-client's Counter fits: a labelled counter is always incremented with its labels. */
interface LabelledCounter<Labels extends string> {
  inc(labels: Partial<Record<Labels, string>>, value?: number): void;
}

interface PlainCounter {
  inc(value?: number): void;
}

/** The Metrics counters the auth layer increments (prom-client Counters fit). */
export interface AuthMetricsPort {
  readonly loginsTotal: LabelledCounter<"outcome">;
  readonly refreshesTotal: LabelledCounter<"outcome">;
  readonly theftDetectionsTotal: PlainCounter;
  readonly revocationsTotal: LabelledCounter<"kind">;
  readonly tokenCheckFailuresTotal: LabelledCounter<"code">;
}

/** A pino-like logger: structured object first, then a message. */
export interface AuthLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}
