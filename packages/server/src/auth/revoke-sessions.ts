import type { Queryable } from "../store/database.js";
import { insertRevocation } from "../store/revocations.js";
import { endSession, endUserSessions, type SessionEndReason } from "../store/sessions.js";
import { type AuthContext, revocationExpiry } from "./context.js";

/**
 * Ends sessions and records why, in the caller's transaction: each ended session gets a durable
 * `session` revocation row (so its access tokens are refused at once, here and — through the
 * revocation feed — by every verifier), announced by NOTIFY when the transaction commits.
 * Returns the number of revocation rows written.
 */
export async function endSessions(
  tx: Queryable,
  ctx: AuthContext,
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

/** Counts committed revocations (call after the transaction commits). */
export function countRevocations(ctx: AuthContext, kind: "session" | "user_before", count: number): void {
  if (count > 0) ctx.metrics.revocationsTotal.inc({ kind }, count);
}
