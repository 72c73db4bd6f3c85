import type { AccessTokenClaims } from "@sigil/protocol";
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
  | "recoveryLimiter"
  | "accountMail"
  | "codeKey"
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

/**
 * Who asks for a signed-in operation: the user (`sub`) and the session they act in (`sid`;
 * none for a service token). An access token's claims are one; a browser session cookie
 * (web/browser-session.ts) gives the same two.
 */
export type Principal = Pick<AccessTokenClaims, "sub" | "sid">;
