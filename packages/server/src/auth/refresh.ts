import { insertRefreshToken, lockRefreshToken, markRefreshTokenRotated } from "../store/refresh-tokens.js";
import { insertRevocation } from "../store/revocations.js";
import { endSession, type SessionRecord, touchSession } from "../store/sessions.js";
import { issueAccessToken } from "./access-token.js";
import { AuthError } from "./auth-error.js";
import { type AuthContext, revocationExpiry } from "./context.js";
import { randomId } from "./ids.js";
import {
  deriveSuccessorSecret,
  formatRefreshToken,
  hashRefreshSecret,
  parseRefreshToken,
  type RefreshToken,
  refreshSecretMatches,
} from "./refresh-token-format.js";
import type { TokenPair } from "./start-session.js";

export interface RefreshInput {
  refreshToken: string;
  /**
   * The client presenting the token: the first-party client at /auth/refresh; at /oauth/token the
   * client that authenticated (confidential) or named itself (public), or null for none.
   */
  clientId: string | null;
  userAgent: string | null;
  ip: string | null;
}

type Outcome =
  | { kind: "unknown_token" | "session_revoked" | "session_expired" | "wrong_client" }
  | { kind: "reused"; session: SessionRecord }
  | {
      kind: "rotated" | "grace";
      successor: RefreshToken;
      session: SessionRecord;
      roles: string[];
      /** When the successor stops being usable: the new idle timeout, or the session's end if sooner. */
      expiresAt: Date;
    };

/**
 * Exchanges a refresh token for a new pair, rotating it (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 *
 * One transaction, holding the presented token's row lock (`SELECT … FOR UPDATE`), decides:
 * - current token → rotate: a child row, the parent marked rotated with its successor;
 * - rotated less than `refreshGraceSeconds` ago → the SAME successor again (derived, see
 *   deriveSuccessorSecret) with a fresh access token: parallel tabs and retries after a lost
 *   response keep a working session, and a retry is idempotent;
 * - rotated longer ago → reuse of a stolen (or very late) token: the whole session ends and a
 *   `session` revocation voids its access tokens — committed before the refusal is answered;
 * - session ended / expired / token unknown → refused, each with its own keyword.
 *
 * A refresh token belongs to the client it was issued to (RFC 6749 §6, RFC 9700 §4.14): a
 * current token presented by any other client is refused as `wrong_client` and neither rotated
 * nor consumed — its owner keeps working; a rotated one presented by another client is not a
 * retry of its owner's, so even within the grace window it counts as reuse and ends the session.
 */
export async function refresh(ctx: AuthContext, input: RefreshInput): Promise<TokenPair> {
  const presented = parseRefreshToken(input.refreshToken);
  if (!presented) throw refuse(ctx, "unknown_token");
  const nowMs = ctx.now();
  const now = new Date(nowMs);
  const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
    const row = await lockRefreshToken(tx, presented.id);
    if (!row || !refreshSecretMatches(presented.secret, row.tokenHash)) return { kind: "unknown_token" };
    const session = row.session;
    if (session.endedAt !== null || row.userDisabledAt !== null) return { kind: "session_revoked" };
    if (session.absoluteExpiresAt.getTime() <= nowMs || session.idleExpiresAt.getTime() <= nowMs) {
      return { kind: "session_expired" };
    }
    const idleExpiresAt = new Date(nowMs + ctx.config.refreshIdleTtl * 1000);
    const expiresAt = new Date(Math.min(idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime()));
    const ownClient = session.clientId === input.clientId;
    if (row.rotatedAt === null && !ownClient) return { kind: "wrong_client" };
    if (row.rotatedAt === null) {
      const successor = { id: randomId(), secret: deriveSuccessorSecret(ctx.refreshDerivationKey, presented) };
      await insertRefreshToken(tx, {
        id: successor.id,
        sessionId: session.id,
        tokenHash: hashRefreshSecret(successor.secret),
        parentId: row.id,
        now,
      });
      await markRefreshTokenRotated(tx, row.id, { successorId: successor.id, now });
      await touchSession(tx, session.id, { now, idleExpiresAt });
      return { kind: "rotated", successor, session, roles: row.userRoles, expiresAt };
    }
    const sinceRotation = nowMs - row.rotatedAt.getTime();
    if (ownClient && row.successorId !== null && sinceRotation <= ctx.config.refreshGraceSeconds * 1000) {
      const successor = { id: row.successorId, secret: deriveSuccessorSecret(ctx.refreshDerivationKey, presented) };
      await touchSession(tx, session.id, { now, idleExpiresAt });
      return { kind: "grace", successor, session, roles: row.userRoles, expiresAt };
    }
    await endSession(tx, session.id, { reason: "refresh_token_reused", now });
    await insertRevocation(tx, {
      kind: "session",
      sessionId: session.id,
      userId: session.userId,
      reason: "refresh_token_reused",
      now,
      expiresAt: revocationExpiry(ctx, now),
    });
    return { kind: "reused", session };
  });

  switch (outcome.kind) {
    case "wrong_client":
      ctx.logger.warn(
        { event: "refresh_token_wrong_client", clientId: input.clientId },
        "a refresh token was presented by a client it was not issued to: refused, not consumed",
      );
      throw refuse(ctx, outcome.kind);
    case "unknown_token":
    case "session_revoked":
    case "session_expired":
      throw refuse(ctx, outcome.kind);
    case "reused":
      ctx.metrics.theftDetectionsTotal.inc();
      ctx.metrics.revocationsTotal.inc({ kind: "session" });
      ctx.logger.warn(
        { event: "refresh_token_reused", sessionId: outcome.session.id, userId: outcome.session.userId },
        "a rotated refresh token was presented after the grace window: session ended",
      );
      throw refuse(ctx, "refresh_token_reused");
    case "rotated":
    case "grace": {
      ctx.metrics.refreshesTotal.inc({ outcome: outcome.kind });
      const access = issueAccessToken(ctx, {
        sub: outcome.session.userId,
        sid: outcome.session.id,
        clientId: outcome.session.clientId,
        roles: outcome.roles,
        ...(outcome.session.scope !== null ? { scope: outcome.session.scope } : {}),
      });
      return {
        accessToken: access.token,
        tokenType: "Bearer",
        expiresIn: access.expiresIn,
        refreshToken: formatRefreshToken(outcome.successor),
        refreshExpiresIn: Math.floor((outcome.expiresAt.getTime() - nowMs) / 1000),
        sessionId: outcome.session.id,
      };
    }
  }
}

function refuse(
  ctx: AuthContext,
  code: "unknown_token" | "session_revoked" | "session_expired" | "refresh_token_reused" | "wrong_client",
): AuthError {
  ctx.metrics.refreshesTotal.inc({ outcome: code });
  return new AuthError(code);
}
