import type { Database } from "../store/database.js";
import type {
  AuthConfig,
  AuthKeys,
  AuthLogger,
  AuthMetricsPort,
  LoginRateLimiterPort,
  PasswordHasherPort,
  PasswordPolicyPort,
} from "./ports.js";

/** Everything the auth operations use; built once by AuthService. */
export interface AuthContext {
  readonly db: Database;
  readonly config: AuthConfig;
  readonly keys: AuthKeys;
  readonly hasher: PasswordHasherPort;
  readonly passwordPolicy: PasswordPolicyPort;
  readonly rateLimiter: LoginRateLimiterPort;
  readonly metrics: AuthMetricsPort | undefined;
  readonly logger: AuthLogger | undefined;
  /** See derivation-key.ts. */
  readonly refreshDerivationKey: Buffer;
  /** The clock in ms since 1970 (tests freeze it). */
  readonly now: () => number;
}

/** How long a revocation row must live: until every access token it affects has expired (clock skew included). */
export function revocationExpiry(ctx: AuthContext, now: Date): Date {
  return new Date(now.getTime() + (ctx.config.accessTokenTtl + ctx.config.clockTolerance) * 1000);
}
