import { AuthError } from "./auth-error.js";
import type { AuthContext, Principal } from "./context.js";
import { countRevocations, endEverySession, endSessions } from "./revoke-sessions.js";

/**
 * Ends the session of this access token; true when this call ended it. Idempotent: an
 * already-ended session is not an error.
 */
export async function logout(ctx: AuthContext, claims: Principal): Promise<boolean> {
  const sessionId = claims.sid;
  if (sessionId === undefined) return false; // a client_credentials token has no session to end
  const ended = await ctx.db.transaction((tx) =>
    endSessions(tx, ctx, { sessionId, userId: claims.sub, reason: "logout" }),
  );
  countRevocations(ctx, "session", ended.length);
  return ended.length > 0;
}

/** Ends every session of the user and voids every access token issued before now (POST /auth/logout-all). */
export async function logoutAll(ctx: AuthContext, claims: Principal): Promise<void> {
  const ended = await ctx.db.transaction((tx) => endEverySession(tx, ctx, claims.sub, "logout_all"));
  countRevocations(ctx, "session", ended.length);
  countRevocations(ctx, "user_before", 1);
}

/** Ends one of the user's own sessions (DELETE /auth/sessions/{id}). Idempotent for an ended one. */
export async function endOwnSession(ctx: AuthContext, claims: Principal, sessionId: string): Promise<void> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const ended = await endSessions(tx, ctx, { sessionId, userId: claims.sub, reason: "ended_by_user" });
    if (ended.length > 0) return "ended";
    const existing = await tx.query("SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2", [sessionId, claims.sub]);
    return existing.rows.length > 0 ? "already_ended" : "not_found";
  });
  // Another user's session id is answered exactly like an unknown one.
  if (outcome === "not_found") throw new AuthError("session_not_found");
  countRevocations(ctx, "session", outcome === "ended" ? 1 : 0);
}

/**
 * Ends every session of the user but the one asking ("sign out everywhere else"): each is
 * revoked at once, here and at every verifier.
 */
export async function logoutOthers(ctx: AuthContext, claims: Principal): Promise<number> {
  const ended = await ctx.db.transaction((tx) =>
    endSessions(tx, ctx, {
      allOfUser: claims.sub,
      reason: "ended_by_user",
      ...(claims.sid !== undefined ? { exceptSessionId: claims.sid } : {}),
    }),
  );
  countRevocations(ctx, "session", ended.length);
  return ended.length;
}
