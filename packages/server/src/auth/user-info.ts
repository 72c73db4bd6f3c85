import { findUserById } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext, Principal } from "./context.js";

/** The user's profile for /userinfo (OpenID Connect Core §5.3.2 names). */
export interface UserInfo {
  sub: string;
  email: string;
  roles: string[];
}

/** The profile of the token's user; a deleted or disabled user's token is refused like a revoked one. */
export async function userInfo(ctx: Pick<AuthContext, "db">, claims: Principal): Promise<UserInfo> {
  const user = await findUserById(ctx.db, claims.sub);
  if (!user || user.disabledAt !== null) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  return { sub: user.id, email: user.email, roles: user.roles };
}
