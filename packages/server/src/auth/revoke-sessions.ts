import type { Queryable } from "../store/database.js";
import { insertRevocation } from "../store/revocations.js";
import { endSession, endUserSessions, type SessionEndReason } from "../store/sessions.js";
import { setTokensValidAfter } from "../store/users.js";
import { type AuthContext, revocationExpiry } from "./context.js";

/**
 * Ends sessions and records why, in the caller's transaction: each ended session gets a durable
 * `session` revocation row (so its access tokens are refused at once, here and — through the
 * revocation feed — by every verifier), announced by NOTIFY when the transaction commits.
 * Returns the number of revocation rows written.
 */
export async function endSessions(
  tx: Queryable,
  ctx: Pick<AuthContext, "now" | "config">,
  target:
    | { sessionId: string; userId: string; reason: SessionEndReason }
    | { allOfUser: string; exceptSessionId?: string; reason: SessionEndReason },
): Promise<string[]> {
  const now = new Date(ctx.now());
  let userId: string;
  let ended: string[];
  if ("sessionId" in target) {
    userId = target.userId;
    ended = await endSession(tx, target.sessionId, { reason: target.reason, now, userId });
  } else {
    userId = target.allOfUser;
    ended = await endUserSessions(tx, userId, {
      reason: target.reason,
      now,
      ...(target.exceptSessionId !== undefined ? { exceptId: target.exceptSessionId } : {}),
    });
  }
  const expiresAt = revocationExpiry(ctx, now);
  for (const sessionId of ended) {
    await insertRevocation(tx, { kind: "session", sessionId, userId, reason: target.reason, now, expiresAt });
  }
  return ended;
}

/**
 * Ends every session of a user and voids every access token issued before now (a `user_before`
 * row), in the caller's transaction: logout-all, and an operator's `sigil users sign-out`.
 *
 * The `user_before` time is now rounded DOWN to the second: `iat` has one-second resolution, so
 * an exact `now` would also void a token from a login in the same second just after this call.
 * Tokens issued earlier in that same second are still refused, by their session's row.
 */
export async function endEverySession(
  tx: Queryable,
  ctx: Pick<AuthContext, "now" | "config">,
  userId: string,
  reason: SessionEndReason,
): Promise<string[]> {
  const now = new Date(ctx.now());
  const beforeTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const sessions = await endSessions(tx, ctx, { allOfUser: userId, reason });
  await setTokensValidAfter(tx, userId, beforeTime);
  await insertRevocation(tx, {
    kind: "user_before",
    userId,
    beforeTime,
    reason,
    now,
    expiresAt: revocationExpiry(ctx, now),
  });
  return sessions;
}

/** Counts committed revocations (call after the transaction commits). */
export function countRevocations(ctx: AuthContext, kind: "session" | "user_before", count: number): void {
  if (count > 0) ctx.metrics.revocationsTotal.inc({ kind }, count);
}
