import { issueDeviceCredential, readDeviceCredential } from "../abuse/device-credential.js";
import { findUserByEmail, type UserRecord, updatePasswordHash } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { normalizeEmail } from "./email.js";
import { withHashing } from "./hashing.js";
import { startSession, type TokenPair } from "./start-session.js";

export interface LoginInput {
  email: string;
  password: string;
  /** The first-party client the session belongs to. */
  clientId: string;
  userAgent: string | null;
  ip: string;
  /** A device credential from an earlier sign-in (device-credential.ts), if the client kept one. */
  deviceCredential?: string | undefined;
}

/** A new session's tokens, and the device credential to present at the next sign-in. */
export interface LoginResult extends TokenPair {
  deviceCredential: string;
}

/**
 * Password login. Every failure — unknown email, wrong password, disabled account, malformed
 * email — is the same AuthError `invalid_credentials` after the same work: an unknown account
 * still costs one password verification (verifyDummy), so neither the answer nor its timing
 * tells an attacker which emails exist (OWASP Authentication Cheat Sheet, "Authentication
 * Responses").
 *
 * The attempt is counted before the password is hashed (abuse/login-rate-limiter.ts): a burst of
 * concurrent guesses gets no more evaluations than the allowance. A valid device credential for
 * this account moves the count from the account to the device, so an attacker guessing from
 * elsewhere cannot lock its owner out; every success returns one (renewed for a known device).
 */
export async function login(ctx: AuthContext, input: LoginInput): Promise<LoginResult> {
  const { user, deviceCredential } = await authenticatePassword(ctx, input);
  const pair = await startSession(ctx.db, ctx, {
    userId: user.id,
    roles: user.roles,
    clientId: input.clientId,
    userAgent: input.userAgent,
    ip: input.ip,
  });
  ctx.metrics.loginsTotal.inc({ outcome: "success" });
  return { ...pair, deviceCredential };
}

/** A user who proved their password, and the device credential to hand back. */
export interface Authenticated {
  user: UserRecord;
  deviceCredential: string;
}

/**
 * The password check of a sign-in, without starting a session: the API's login starts one with a
 * refresh token, the hosted pages one with a cookie (web/browser-session.ts). Throttling,
 * enumeration-safe failures and the verified-email rule are all here, so both get them.
 */
export async function authenticatePassword(
  ctx: AuthContext,
  input: Pick<LoginInput, "email" | "password" | "ip" | "deviceCredential">,
): Promise<Authenticated> {
  const parsed = normalizeEmail(input.email);
  // Rate-limit key: the normalized email when it is one, else the raw string, so a malformed
  // address is limited like any other account key.
  const account = parsed?.normalized ?? input.email.slice(0, 320);
  const device = readDeviceCredential(ctx.deviceKey, account, input.deviceCredential);
  const attempt = await ctx.rateLimiter.reserve({ account, ip: input.ip, device });
  if (!attempt.allowed) {
    ctx.metrics.loginsTotal.inc({ outcome: "rate_limited" });
    throw new AuthError("rate_limited", { retryAfterSeconds: attempt.retryAfterSeconds });
  }
  const user = parsed ? await findUserByEmail(ctx.db, parsed.normalized) : null;
  const valid = await withHashing(() =>
    user ? ctx.hasher.verify(user.passwordHash, input.password) : ctx.hasher.verifyDummy(input.password),
  ).catch(async (error: unknown) => {
    await attempt.abandoned();
    throw error;
  });
  if (!user || !valid || user.disabledAt !== null) {
    await attempt.failed();
    ctx.metrics.loginsTotal.inc({ outcome: "invalid_credentials" });
    throw new AuthError("invalid_credentials");
  }
  await attempt.succeeded();
  // Only to someone who knows the password: the answer tells nothing an attacker could use.
  if (user.emailVerifiedAt === null && ctx.config.requireVerifiedEmail) {
    ctx.metrics.loginsTotal.inc({ outcome: "email_not_verified" });
    throw new AuthError("email_not_verified");
  }
  if (ctx.hasher.needsRehash(user.passwordHash)) await rehash(ctx, user.id, user.passwordHash, input.password);
  return { user, deviceCredential: issueDeviceCredential(ctx.deviceKey, account, device) };
}

/**
 * Upgrades an imported bcrypt hash (or argon2id with outdated parameters) to the current
 * argon2id parameters, now that the plaintext is known to be right. Best effort: a busy hasher or
 * a concurrent password change (the expectedHash guard) just leaves it for the next login.
 */
async function rehash(ctx: AuthContext, userId: string, oldHash: string, password: string): Promise<void> {
  try {
    const passwordHash = await ctx.hasher.hash(password);
    await updatePasswordHash(ctx.db, userId, { passwordHash, expectedHash: oldHash });
  } catch (error) {
    ctx.logger.warn({ err: error, userId }, "password rehash skipped");
  }
}
