import type { UserRecord } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { withHashing } from "./hashing.js";

/**
 * Re-authentication before a sensitive change (password, email): the current password, checked
 * with back-off counted on the session asking and its address — a stolen access token or session
 * cookie cannot guess the password freely — and not on the account, so an attacker's failures
 * elsewhere cannot block the owner's change. Throws `invalid_current_password` or `rate_limited`.
 */
export async function verifyCurrentPassword(
  ctx: AuthContext,
  user: UserRecord,
  input: { password: string; ip: string; sessionId: string | undefined },
): Promise<void> {
  const attempt = await ctx.rateLimiter.reserve({
    account: user.emailNormalized,
    ip: input.ip,
    session: input.sessionId,
  });
  if (!attempt.allowed) throw new AuthError("rate_limited", { retryAfterSeconds: attempt.retryAfterSeconds });
  const valid = await withHashing(() => ctx.hasher.verify(user.passwordHash, input.password)).catch(
    async (error: unknown) => {
      await attempt.abandoned();
      throw error;
    },
  );
  if (!valid) {
    await attempt.failed();
    throw new AuthError("invalid_current_password");
  }
  await attempt.succeeded();
}
