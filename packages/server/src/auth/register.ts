import { insertUser } from "../store/users.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { normalizeEmail } from "./email.js";
import { withHashing } from "./hashing.js";
import { randomId } from "./ids.js";
import { assertStrongPassword } from "./password-strength.js";

export interface RegisteredUser {
  id: string;
  email: string;
}

export interface RegistrationInput {
  email: string;
  password: string;
  /** The client address: registrations are counted per address and overall. */
  ip: string;
}

/**
 * Creates an account. Every attempt is counted against the registration quotas first
 * (abuse/registration-limiter.ts: per address and overall, before any work), so a flood can
 * neither fill the hash queue nor enumerate at speed. The password policy (NIST SP 800-63B
 * §5.1.1.2: length, a blocklist, no part of the email; no composition rules) is checked before
 * any hashing. A taken email is a 409 — registration without email verification cannot help
 * revealing that — but only after the same hash a new account costs, so its timing says no more
 * than its status does.
 */
export async function register(ctx: AuthContext, input: RegistrationInput): Promise<RegisteredUser> {
  if (!ctx.config.registrationEnabled) throw new AuthError("registration_disabled");
  const quota = await ctx.registrationLimiter.reserve(input.ip);
  if (!quota.allowed) throw new AuthError("registrations_limited", { retryAfterSeconds: quota.retryAfterSeconds });
  const email = normalizeEmail(input.email);
  if (!email) throw new AuthError("invalid_email");
  assertStrongPassword(ctx, input.password, { email: email.normalized });
  const passwordHash = await withHashing(() => ctx.hasher.hash(input.password));
  // ON CONFLICT in insertUser: a taken address (or a race between two registrations of one).
  const user = await insertUser(ctx.db, {
    id: randomId(),
    email: email.email,
    emailNormalized: email.normalized,
    passwordHash,
    roles: [],
    now: new Date(ctx.now()),
  });
  if (!user) throw new AuthError("email_taken");
  return { id: user.id, email: user.email };
}
