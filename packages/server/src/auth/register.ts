import { findUserByEmail, insertUser } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { normalizeEmail } from "./email.js";
import { withHashing } from "./hashing.js";
import { randomId } from "./ids.js";
import { issueCode } from "./one-time-codes.js";
import { assertStrongPassword } from "./password-strength.js";

export interface RegistrationInput {
  email: string;
  password: string;
  /** The client address: registrations are counted per address and overall. */
  ip: string;
}

/**
 * Creates an account without telling whether the address already had one (OWASP Authentication
 * Cheat Sheet, "Authentication and Error Messages"): a new address gets a verification code by
 * mail, a taken one a notice to its owner instead, and the caller the same answer either way,
 * after the same work — the password hash is computed in both cases and mail is sent in the
 * background. Every attempt is counted against the registration quotas first
 * (abuse/registration-limiter.ts: per address and overall, before any work). The password policy
 * (NIST SP 800-63B §5.1.1.2: length, a blocklist, no part of the email) is checked before any
 * hashing.
 */
export async function register(ctx: AuthContext, input: RegistrationInput): Promise<void> {
  if (!ctx.config.registrationEnabled) throw new AuthError("registration_disabled");
  const quota = await ctx.registrationLimiter.reserve(input.ip);
  if (!quota.allowed) throw new AuthError("registrations_limited", { retryAfterSeconds: quota.retryAfterSeconds });
  const email = normalizeEmail(input.email);
  if (!email) throw new AuthError("invalid_email");
  assertStrongPassword(ctx, input.password, { email: email.normalized });
  const passwordHash = await withHashing(() => ctx.hasher.hash(input.password));
  const now = new Date(ctx.now());
  const created = await ctx.db.transaction(async (tx) => {
    // ON CONFLICT in insertUser: a taken address (or a race between two registrations of one).
    const user = await insertUser(tx, {
      id: randomId(),
      email: email.email,
      emailNormalized: email.normalized,
      passwordHash,
      roles: [],
      now,
    });
    if (!user) return null;
    const code = await issueCode(tx, ctx.codeKey, {
      purpose: "verify_email",
      userId: user.id,
      email: email.normalized,
      now,
      ttlSeconds: ctx.config.verificationCodeTtl,
    });
    return { user, code };
  });
  if (created) {
    ctx.accountMail.verificationCode(created.user.email, {
      code: created.code.code,
      linkToken: created.code.linkToken,
      expiresAt: created.code.expiresAt,
    });
    return;
  }
  const owner = await findUserByEmail(ctx.db, email.normalized);
  if (owner) ctx.accountMail.registrationAttempt(owner.email);
}
