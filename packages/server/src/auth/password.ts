import type { AccessTokenClaims } from "@sigil/protocol";
import { findUserById, updatePasswordHash } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { withHashing } from "./hashing.js";
import { assertStrongPassword } from "./password-strength.js";
import { countRevocations, endSessions } from "./revoke-sessions.js";

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
  ip: string;
}

/**
 * Changes the password and ends every OTHER session of the user (their refresh tokens stop
 * working, their access tokens are revoked). The current session stays: the user who just proved
 * the old password keeps working. Wrong current passwords count as failed logins for the
 * account, so a stolen access token cannot be used to guess the password without back-off.
 */
export async function changePassword(
  ctx: AuthContext,
  claims: AccessTokenClaims,
  input: ChangePasswordInput,
): Promise<void> {
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  const keys = { account: user.emailNormalized, ip: input.ip };
  const decision = await ctx.rateLimiter.check(keys);
  if (!decision.allowed) throw new AuthError("rate_limited", { retryAfterSeconds: decision.retryAfterSeconds });
  const valid = await withHashing(() => ctx.hasher.verify(user.passwordHash, input.currentPassword));
  if (!valid) {
    await ctx.rateLimiter.recordFailure(keys);
    throw new AuthError("invalid_current_password");
  }
  assertStrongPassword(ctx, input.newPassword);
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
  await ctx.rateLimiter.recordSuccess(keys);
  countRevocations(ctx, "session", ended.length);
}
