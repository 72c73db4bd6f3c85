import { hasScope } from "../oidc/scopes.js";
import { findUserById } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext, Principal } from "./context.js";

/** The user's profile for /userinfo (OpenID Connect Core §5.1 names; `roles` is Sigil's own). */
export interface UserInfo {
  sub: string;
  email?: string;
  email_verified?: boolean;
  roles?: string[];
}

/**
 * The profile of the token's user, as much as the token was granted: a first-party token (no
 * scope: /auth/login, the hosted pages' apps) gets everything; an app of the authorization code
 * flow gets `sub`, and email and email_verified with the `email` scope (OpenID Connect Core
 * §5.3.2, §5.4). A deleted or disabled user's token is refused like a revoked one.
 */
export async function userInfo(
  ctx: Pick<AuthContext, "db">,
  claims: Principal & { scope?: string | undefined },
): Promise<UserInfo> {
  const user = await findUserById(ctx.db, claims.sub);
  if (!user || user.disabledAt !== null) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  const firstParty = claims.scope === undefined;
  const info: UserInfo = { sub: user.id };
  if (firstParty || hasScope(claims.scope, "email")) {
    info.email = user.email;
    info.email_verified = user.emailVerifiedAt !== null;
  }
  if (firstParty) info.roles = user.roles;
  return info;
}
