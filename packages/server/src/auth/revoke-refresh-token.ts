import { lockRefreshToken } from "../store/refresh-tokens.js";
import type { AuthContext } from "./context.js";
import { parseRefreshToken, refreshSecretMatches } from "./refresh-token-format.js";
import { countRevocations, endSessions } from "./revoke-sessions.js";

/**
 * RFC 7009 §2.1 for a refresh token: ends the session it belongs to — every refresh token of the
 * family and, through the revocation row, every access token of it (§2.1 allows, and for rotating
 * tokens recommends, revoking the whole grant). Only when the token is genuine and was issued to
 * `clientId` (§2.1: "the authorization server first validates the client credentials … and
 * verifies whether the token was issued to the client making the revocation request"); otherwise
 * nothing happens and nothing is thrown (§2.2: an invalid token is not an error).
 */
export async function revokeRefreshToken(
  ctx: AuthContext,
  token: string,
  options: { clientId: string; reason?: "token_revoked" | "logout" },
): Promise<RevocationOutcome> {
  const presented = parseRefreshToken(token);
  if (!presented) return "unknown_token";
  const outcome = await ctx.db.transaction(async (tx): Promise<RevocationOutcome> => {
    const row = await lockRefreshToken(tx, presented.id);
    if (!row || !refreshSecretMatches(presented.secret, row.tokenHash)) return "unknown_token";
    if (row.session.clientId !== options.clientId) return "issued_to_another_client";
    if (row.session.endedAt !== null) return "already_ended";
    await endSessions(tx, ctx, {
      sessionId: row.session.id,
      userId: row.session.userId,
      reason: options.reason ?? "token_revoked",
    });
    return "revoked";
  });
  if (outcome === "revoked") countRevocations(ctx, "session", 1);
  return outcome;
}

/** What a revocation request did (for the log: the client is answered 200 whatever it was, RFC 7009 §2.2). */
export type RevocationOutcome =
  | "revoked"
  | "already_ended"
  | "unknown_token"
  | "issued_to_another_client"
  | "service_token_has_no_session";
