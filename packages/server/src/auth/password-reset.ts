import { lockCode, lockLatestCode } from "../store/one-time-codes.js";
import { insertRevocation } from "../store/revocations.js";
import {
  findUserByEmail,
  findUserById,
  markEmailVerified,
  setTokensValidAfter,
  updatePasswordHash,
} from "../store/users.js";
import { AuthError } from "./auth-error.js";
import { type AuthContext, revocationExpiry } from "./context.js";
import { normalizeEmail } from "./email.js";
import { withHashing } from "./hashing.js";
import { type CodeProof, issueCode, spendCode } from "./one-time-codes.js";
import { assertStrongPassword } from "./password-strength.js";
import { reserveRecoveryAttempt } from "./recovery-attempts.js";
import { countRevocations, endSessions } from "./revoke-sessions.js";

/**
 * Asks for a password reset (OWASP Forgot Password Cheat Sheet): the same answer, after the same
 * work, whether or not the address has an account; if it has, a single-use code and link go
 * out in the background, valid SIGIL_PASSWORD_RESET_TTL. Throttled per account and address.
 */
export async function forgotPassword(ctx: AuthContext, input: { email: string; ip: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  if (!email) throw new AuthError("invalid_email");
  const attempt = await reserveRecoveryAttempt(ctx, { email: email.normalized, ip: input.ip });
  await attempt.failed(); // every request counts: each may send a mail
  const user = await findUserByEmail(ctx.db, email.normalized);
  if (!user || user.disabledAt !== null) return;
  const code = await ctx.db.transaction((tx) =>
    issueCode(tx, ctx.codeKey, {
      purpose: "reset_password",
      userId: user.id,
      email: user.emailNormalized,
      now: new Date(ctx.now()),
      ttlSeconds: ctx.config.passwordResetTtl,
    }),
  );
  ctx.accountMail.passwordReset(user.email, {
    code: code.code,
    linkToken: code.linkToken,
    expiresAt: code.expiresAt,
  });
}

/**
 * Sets a new password with a reset code (typed, with the address) or the mail's link. A reset
 * ends every session of the user and voids every access token issued before it — at every
 * verifier, through the revocation feed — and tells the user by mail. It also proves the user
 * receives mail at the address. Any failure of the code is `invalid_code`.
 *
 * The new password is hashed between two transactions (first the code is checked, then spent
 * and the password written, re-checked under lock), so no row is locked while a hash runs.
 */
export async function resetPassword(
  ctx: AuthContext,
  input: { proof: CodeProof; email?: string; newPassword: string; ip: string },
): Promise<void> {
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  const attempt = await reserveRecoveryAttempt(ctx, { email: email?.normalized, proof: input.proof, ip: input.ip });
  const named = email ? await findUserByEmail(ctx.db, email.normalized) : null;
  // 1. Whose code is it? (A read only: a wrong typed code is counted in step 3.)
  const owner = await ctx.db.transaction(async (tx) => {
    const row =
      "linkToken" in input.proof
        ? await lockCode(tx, input.proof.linkToken.split(".")[0] ?? "")
        : named
          ? await lockLatestCode(tx, named.id, "reset_password")
          : null;
    return row?.purpose === "reset_password" ? findUserById(tx, row.userId) : null;
  });
  if (owner) assertStrongPassword(ctx, input.newPassword, { email: owner.emailNormalized });
  // 2. The hash, outside any transaction.
  const passwordHash = owner ? await withHashing(() => ctx.hasher.hash(input.newPassword)) : null;
  // 3. Spend the code and, if it holds, set the password and end every session.
  const now = new Date(ctx.now());
  const beforeTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const result = await ctx.db.transaction(async (tx) => {
    const check = await spendCode(tx, ctx.codeKey, {
      purpose: "reset_password",
      proof: input.proof,
      ...(named ? { userId: named.id } : {}),
      now,
    });
    if (!check.ok || !owner || !passwordHash || check.row.userId !== owner.id) {
      return { ok: false as const, reason: check.ok ? "changed" : check.reason };
    }
    await updatePasswordHash(tx, owner.id, { passwordHash });
    await markEmailVerified(tx, owner.id, check.row.email, now);
    const ended = await endSessions(tx, ctx, { allOfUser: owner.id, reason: "password_reset" });
    await setTokensValidAfter(tx, owner.id, beforeTime);
    await insertRevocation(tx, {
      kind: "user_before",
      userId: owner.id,
      beforeTime,
      reason: "password_reset",
      now,
      expiresAt: revocationExpiry(ctx, now),
    });
    return { ok: true as const, ended };
  });
  if (!result.ok) {
    await attempt.failed();
    ctx.logger.info({ reason: result.reason }, "password reset refused");
    throw new AuthError("invalid_code");
  }
  await attempt.succeeded();
  countRevocations(ctx, "session", result.ended.length);
  countRevocations(ctx, "user_before", 1);
  ctx.logger.info({ userId: owner?.id }, "password reset: every session ended");
  if (owner) ctx.accountMail.passwordChanged(owner.email);
}
