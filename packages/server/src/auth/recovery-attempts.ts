import type { LoginAttempt } from "../abuse/index.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import type { CodeProof } from "./one-time-codes.js";

/**
 * Reserves an attempt of an account-recovery flow (a code typed, a mail asked for) on the
 * recovery counters — per account and per address, race-free, apart from sign-in's so that one
 * flow can never lock the other — or throws `recovery_limited`. A link's token is 256 bits and
 * guessed by nobody: it counts on the address alone. Every such flow needs mail: with
 * SIGIL_ACCOUNT_RECOVERY off it is refused here.
 */
export async function reserveRecoveryAttempt(
  ctx: Pick<AuthContext, "recoveryLimiter" | "config">,
  input: { email?: string | undefined; proof?: CodeProof; ip: string },
): Promise<LoginAttempt> {
  assertAccountRecovery(ctx);
  const byLink = input.proof !== undefined && "linkToken" in input.proof;
  const account = byLink || input.email === undefined ? `link@${input.ip}` : input.email;
  const attempt = await ctx.recoveryLimiter.reserve({ account, ip: input.ip });
  if (!attempt.allowed) throw new AuthError("recovery_limited", { retryAfterSeconds: attempt.retryAfterSeconds });
  return attempt;
}

/** Refuses a flow that needs mail when SIGIL_ACCOUNT_RECOVERY is off. */
export function assertAccountRecovery(ctx: Pick<AuthContext, "config">): void {
  if (!ctx.config.accountRecovery) throw new AuthError("account_recovery_disabled");
}
