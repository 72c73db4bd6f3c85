import type { ServerContext } from "../server-context.js";

/** What the auth operations use of the server context. */
export type AuthContext = Pick<
  ServerContext,
  | "db"
  | "config"
  | "keys"
  | "hasher"
  | "rateLimiter"
  | "registrationLimiter"
  | "metrics"
  | "logger"
  | "refreshDerivationKey"
  | "deviceKey"
  | "now"
>;

/** How long a revocation row must live: until every access token it affects has expired (clock skew included). */
export function revocationExpiry(ctx: Pick<AuthContext, "config">, now: Date): Date {
  return new Date(now.getTime() + (ctx.config.accessTokenTtl + ctx.config.clockTolerance) * 1000);
}
