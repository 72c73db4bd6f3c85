import { findUserByEmail, insertUser } from "../store/users.js";
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

/**
 * Creates an account. The password policy (NIST SP 800-63B §3.1.1.2: length and a blocklist, no
 * composition rules) is checked before any hashing; a taken email is a 409 (the contract —
 * registration necessarily reveals that an address has an account).
 */
export async function register(ctx: AuthContext, input: { email: string; password: string }): Promise<RegisteredUser> {
  if (!ctx.config.registrationEnabled) throw new AuthError("registration_disabled");
  const email = normalizeEmail(input.email);
  if (!email) throw new AuthError("invalid_email");
  assertStrongPassword(ctx, input.password);
  if (await findUserByEmail(ctx.db, email.normalized)) throw new AuthError("email_taken");
  const passwordHash = await withHashing(() => ctx.hasher.hash(input.password));
  // ON CONFLICT in insertUser settles a race between two registrations of one address.
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
