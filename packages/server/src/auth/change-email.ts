import { changeUserEmail, findUserByEmail, findUserById } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext, Principal } from "./context.js";
import { normalizeEmail } from "./email.js";
import { type CodeProof, issueCode, spendCode } from "./one-time-codes.js";
import { assertAccountRecovery, reserveRecoveryAttempt } from "./recovery-attempts.js";
import { verifyCurrentPassword } from "./verify-current-password.js";

/**
 * Starts an email change for a signed-in user who proves the current password: a code (and
 * link) goes to the new address, a notice to the current one — so an attacker holding a session
 * cannot quietly move the account to an address of theirs. The answer is the same whether or not
 * the new address belongs to another account (nothing is sent to it then), so a signed-in user
 * cannot probe which addresses have accounts.
 */
export async function requestEmailChange(
  ctx: AuthContext,
  claims: Principal,
  input: { currentPassword: string; newEmail: string; ip: string },
): Promise<void> {
  assertAccountRecovery(ctx);
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
  const email = normalizeEmail(input.newEmail);
  if (!email) throw new AuthError("invalid_email");
  await verifyCurrentPassword(ctx, user, { password: input.currentPassword, ip: input.ip, sessionId: claims.sid });
  if (email.normalized === user.emailNormalized) throw new AuthError("same_email");
  const taken = await findUserByEmail(ctx.db, email.normalized);
  if (taken) {
    ctx.logger.info({ userId: user.id }, "email change to an address with an account: nothing sent");
    return;
  }
  const code = await ctx.db.transaction((tx) =>
    issueCode(tx, ctx.codeKey, {
      purpose: "change_email",
      userId: user.id,
      email: email.email,
      now: new Date(ctx.now()),
      ttlSeconds: ctx.config.verificationCodeTtl,
    }),
  );
  ctx.accountMail.emailChangeCode(email.email, {
    code: code.code,
    linkToken: code.linkToken,
    expiresAt: code.expiresAt,
  });
  ctx.accountMail.emailChangeNotice(user.email, { newEmail: email.email });
}

/**
 * Completes an email change with the code sent to the new address: typed by the signed-in user,
 * or by the mail's link. The new address is verified by this very step. If another account took
 * the address meanwhile, the code is spent and the change refused (`email_change_conflict`).
 */
export async function confirmEmailChange(
  ctx: AuthContext,
  input: { proof: CodeProof; userId?: string; ip: string },
): Promise<{ userId: string; email: string }> {
  const attempt = await reserveRecoveryAttempt(ctx, {
    email: input.userId === undefined ? undefined : `change-email:${input.userId}`,
    proof: input.proof,
    ip: input.ip,
  });
  const now = new Date(ctx.now());
  const result = await ctx.db.transaction(async (tx) => {
    const check = await spendCode(tx, ctx.codeKey, {
      purpose: "change_email",
      proof: input.proof,
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
      now,
    });
    if (!check.ok) return check;
    const email = normalizeEmail(check.row.email);
    const changed =
      email !== null &&
      (await changeUserEmail(tx, check.row.userId, { email: email.email, emailNormalized: email.normalized, now }));
    if (!changed) return { ok: false as const, reason: "conflict" as const };
    return { ok: true as const, userId: check.row.userId, email: email.email };
  });
  if (!result.ok) {
    if (result.reason === "conflict") {
      await attempt.succeeded();
      throw new AuthError("email_change_conflict");
    }
    await attempt.failed();
    ctx.logger.info({ reason: result.reason }, "email change refused");
    throw new AuthError("invalid_code");
  }
  await attempt.succeeded();
  ctx.logger.info({ userId: result.userId }, "email changed");
  return { userId: result.userId, email: result.email };
}
