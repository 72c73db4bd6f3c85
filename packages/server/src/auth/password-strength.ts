import type { ServerConfig } from "../config/config.js";
import { checkPasswordPolicy } from "../passwords/index.js";
import { AuthError } from "./auth-error.js";

/**
 * Throws `weak_password`, naming the rule, for a new password the policy refuses: length, the
 * common-password list, and — the context-specific words of NIST SP 800-63B §5.1.1.2 — the
 * account's own email name. Checked before any hashing, so a refused password costs no hash.
 */
export function assertStrongPassword(
  ctx: { config: Pick<ServerConfig, "passwordMinLength" | "passwordMaxLength"> },
  password: string,
  context: { email: string },
): void {
  const weakness = checkPasswordPolicy(password, {
    minLength: ctx.config.passwordMinLength,
    maxLength: ctx.config.passwordMaxLength,
    email: context.email,
  });
  if (weakness) throw new AuthError("weak_password", { description: `${weakness.rule}: ${weakness.message}` });
}
