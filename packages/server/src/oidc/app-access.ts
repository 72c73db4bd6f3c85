import type { AuthContext, Principal } from "../auth/context.js";
import { countRevocations, endSessions } from "../auth/revoke-sessions.js";
import { type ConsentRow, listConsents, revokeConsent } from "../store/consents.js";
import { listLiveSessions } from "../store/sessions.js";

/** The third-party apps the user allowed, for the account page. */
export function listAppAccess(ctx: Pick<AuthContext, "db">, principal: Principal): Promise<ConsentRow[]> {
  return listConsents(ctx.db, principal.sub);
}

/**
 * Takes back what the user allowed an app: the consent is forgotten (the next sign-in asks again)
 * and every live session of that app for this user ends — its tokens refused at every verifier.
 * True when there was a consent.
 */
export async function revokeAppAccess(ctx: AuthContext, principal: Principal, clientId: string): Promise<boolean> {
  const now = new Date(ctx.now());
  const result = await ctx.db.transaction(async (tx) => {
    const revoked = await revokeConsent(tx, principal.sub, clientId);
    const sessions = (await listLiveSessions(tx, principal.sub, now)).filter((s) => s.clientId === clientId);
    let ended = 0;
    for (const session of sessions) {
      ended += (await endSessions(tx, ctx, { sessionId: session.id, userId: principal.sub, reason: "ended_by_user" }))
        .length;
    }
    return { revoked, ended };
  });
  countRevocations(ctx, "session", result.ended);
  return result.revoked;
}
