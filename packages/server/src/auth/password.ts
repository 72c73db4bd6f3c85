import { findUserById, updatePasswordHash } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext, Principal } from "./context.js";
import { withHashing } from "./hashing.js";
import { assertStrongPassword } from "./password-strength.js";
import { countRevocations, endSessions } from "./revoke-sessions.js";
import { verifyCurrentPassword } from "./verify-current-password.js";

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
  ip: string;
}

/**
 * Changes the password and ends every OTHER session of the user (their refresh tokens stop
 * working, their access tokens are revoked). The current session stays: the user who just proved
 * the old password keeps working. Wrong current passwords are throttled (verify-current-password.ts).
 * The user is told by mail, so a change they did not make does not go unnoticed.
 */
export async function changePassword(ctx: AuthContext, claims: Principal, input: ChangePasswordInput): Promise<void> {
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  await verifyCurrentPassword(ctx, user, { password: input.currentPassword, ip: input.ip, sessionId: claims.sid });
  assertStrongPassword(ctx, input.newPassword, { email: user.emailNormalized });
  const passwordHash = await withHashing(() => ctx.hasher.hash(input.newPassword));
  const ended = await ctx.db.transaction(async (tx) => {
    // expectedHash: two concurrent changes cannot both succeed on the same old password.
    const changed = await updatePasswordHash(tx, user.id, { passwordHash, expectedHash: user.passwordHash });
    if (!changed) throw new AuthError("invalid_current_password");
    return endSessions(tx, ctx, {
      allOfUser: user.id,
      reason: "password_change",
      ...(claims.sid !== undefined ? { exceptSessionId: claims.sid } : {}),
    });
  });
  countRevocations(ctx, "session", ended.length);
  ctx.accountMail.passwordChanged(user.email);
}
