import { findUserByEmail, markEmailVerified } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { normalizeEmail } from "./email.js";
import { type CodeProof, issueCode, spendCode } from "./one-time-codes.js";
import { reserveRecoveryAttempt } from "./recovery-attempts.js";

/**
 * Verifies an address with the code mailed to it: typed (with the address) or by the mail's
 * link. Throttled like sign-in (per account and address, on counters of their own); any failure
 * is `invalid_code`, the reason logged.
 */
export async function verifyEmail(
  ctx: AuthContext,
  input: { proof: CodeProof; email?: string; ip: string },
): Promise<void> {
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  const attempt = await reserveRecoveryAttempt(ctx, { email: email?.normalized, proof: input.proof, ip: input.ip });
  const user = email ? await findUserByEmail(ctx.db, email.normalized) : null;
  const now = new Date(ctx.now());
  const result = await ctx.db.transaction(async (tx) => {
    const check = await spendCode(tx, ctx.codeKey, {
      purpose: "verify_email",
      proof: input.proof,
      ...(user ? { userId: user.id } : {}),
      now,
    });
    if (!check.ok) return check;
    await markEmailVerified(tx, check.row.userId, check.row.email, now);
    return check;
  });
  if (!result.ok) {
    await attempt.failed();
    ctx.logger.info({ reason: result.reason }, "email verification refused");
    throw new AuthError("invalid_code");
  }
  await attempt.succeeded();
}

/**
 * Mails a new verification code to an unverified account. Answers the same whether or not the
 * address has an account, or is verified already (nothing is sent then): the caller learns
 * nothing, and the mail goes out in the background so the time taken says nothing either.
 */
export async function resendVerification(ctx: AuthContext, input: { email: string; ip: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  if (!email) throw new AuthError("invalid_email");
  const attempt = await reserveRecoveryAttempt(ctx, { email: email.normalized, ip: input.ip });
  await attempt.failed(); // every request counts: each may send a mail
  const user = await findUserByEmail(ctx.db, email.normalized);
  if (!user || user.emailVerifiedAt !== null || user.disabledAt !== null) return;
  const code = await ctx.db.transaction((tx) =>
    issueCode(tx, ctx.codeKey, {
      purpose: "verify_email",
      userId: user.id,
      email: user.emailNormalized,
      now: new Date(ctx.now()),
      ttlSeconds: ctx.config.verificationCodeTtl,
    }),
  );
  ctx.accountMail.verificationCode(user.email, {
    code: code.code,
    linkToken: code.linkToken,
    expiresAt: code.expiresAt,
  });
}
