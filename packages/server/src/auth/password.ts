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
 * the old password keeps working. Wrong current passwords are throttled like sign-ins, counted
 * on the session asking and its address.
 */
export async function changePassword(
  ctx: AuthContext,
  claims: AccessTokenClaims,
  input: ChangePasswordInput,
): Promise<void> {
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  // Counted on the session asking (a stolen access token cannot guess the password without
  // back-off), not on the account: an attacker's failures elsewhere cannot block the change.
  const attempt = await ctx.rateLimiter.reserve({ account: user.emailNormalized, ip: input.ip, session: claims.sid });
  if (!attempt.allowed) throw new AuthError("rate_limited", { retryAfterSeconds: attempt.retryAfterSeconds });
  const valid = await withHashing(() => ctx.hasher.verify(user.passwordHash, input.currentPassword)).catch(
    async (error: unknown) => {
      await attempt.abandoned();
      throw error;
    },
  );
  if (!valid) {
    await attempt.failed();
    throw new AuthError("invalid_current_password");
  }
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
  await attempt.succeeded();
  countRevocations(ctx, "session", ended.length);
}
