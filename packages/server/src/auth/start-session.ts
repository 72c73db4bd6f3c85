import type { Queryable } from "../store/database.js";
import { insertSessionWithRefreshToken } from "../store/sessions.js";
import { issueAccessToken } from "./access-token.js";
import type { AuthContext } from "./context.js";
import { randomId } from "./ids.js";
import { formatRefreshToken, generateRefreshToken, hashRefreshSecret } from "./refresh-token-format.js";

/** What login and refresh answer (RFC 6749 §5.1 fields, camel-cased). */
export interface TokenPair {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshToken: string;
  /** Seconds the refresh token stays usable unless rotated (the idle timeout, capped by the session's end). */
  refreshExpiresIn: number;
  sessionId: string;
}

export interface NewSessionInput {
  userId: string;
  roles: readonly string[];
  clientId: string;
  userAgent: string | null;
  ip: string | null;
  /** The browser session an app signed in from (authorization code flow): the session ends with it, and lasts no longer. */
  parent?: { id: string; absoluteExpiresAt: Date };
  /** The scopes granted (authorization code flow); every access token of the session carries them. */
  scope?: string;
}

/**
 * Creates a session (a family of refresh tokens with an absolute lifetime and an idle timeout)
 * and its first refresh token in one atomic statement (no transaction needed; `db` may also be
 * the caller's transaction); returns the first token pair.
 */
export async function startSession(db: Queryable, ctx: AuthContext, input: NewSessionInput): Promise<TokenPair> {
  const now = ctx.now();
  const sessionId = randomId();
  const ownAbsolute = now + ctx.config.refreshAbsoluteTtl * 1000;
  const absoluteExpiresAt = new Date(Math.min(ownAbsolute, input.parent?.absoluteExpiresAt.getTime() ?? ownAbsolute));
  const idleExpiresAt = new Date(Math.min(now + ctx.config.refreshIdleTtl * 1000, absoluteExpiresAt.getTime()));
  const refresh = generateRefreshToken();
  await insertSessionWithRefreshToken(
    db,
    {
      id: sessionId,
      userId: input.userId,
      clientId: input.clientId,
      now: new Date(now),
      absoluteExpiresAt,
      idleExpiresAt,
      userAgent: truncate(input.userAgent, 512),
      ip: truncate(input.ip, 64),
      parentSessionId: input.parent?.id ?? null,
      scope: input.scope ?? null,
    },
    { id: refresh.id, tokenHash: hashRefreshSecret(refresh.secret) },
  );
  const access = issueAccessToken(ctx, {
    sub: input.userId,
    sid: sessionId,
    clientId: input.clientId,
    roles: input.roles,
    ...(input.scope !== undefined ? { scope: input.scope } : {}),
  });
  return {
    accessToken: access.token,
    tokenType: "Bearer",
    expiresIn: access.expiresIn,
    refreshToken: formatRefreshToken(refresh),
    refreshExpiresIn: Math.floor((idleExpiresAt.getTime() - now) / 1000),
    sessionId,
  };
}

/** User agents are attacker-chosen: keep what is stored (and listed back) bounded. */
function truncate(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}
