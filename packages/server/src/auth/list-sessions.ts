import { listLiveSessions } from "../store/sessions.js";
import type { AuthContext, Principal } from "./context.js";

/** A session as its owner sees it (GET /auth/sessions). */
export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  /** The session of the access token making the request. */
  current: boolean;
}

export async function listSessions(ctx: AuthContext, claims: Principal): Promise<SessionView[]> {
  const sessions = await listLiveSessions(ctx.db, claims.sub, new Date(ctx.now()));
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt,
    lastUsedAt: session.lastUsedAt,
    expiresAt: new Date(Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())),
    userAgent: session.userAgent,
    ip: session.ip,
    current: session.id === claims.sid,
  }));
}
