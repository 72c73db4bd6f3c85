import { createHash, randomBytes } from "node:crypto";
import type { AuthContext } from "../auth/context.js";
import { randomId } from "../auth/ids.js";
import { countRevocations, endSessions } from "../auth/revoke-sessions.js";
import { startSession, type TokenPair } from "../auth/start-session.js";
import type { Client } from "../clients/client.js";
import { OAuthError } from "../clients/oauth-error.js";
import {
  type AuthorizationCodeRow,
  consumeAuthorizationCode,
  insertAuthorizationCode,
  lockAuthorizationCode,
} from "../store/authorization-codes.js";
import { findSession } from "../store/sessions.js";
import { findUserById } from "../store/users.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import { issueIdToken } from "./id-token.js";
import { verifierMatches } from "./pkce.js";
import { hasScope } from "./scopes.js";

/**
 * Authorization codes (RFC 6749 §4.1.2): 256 random bits, of which only SHA-256 is stored;
 * exchangeable once, within SIGIL_AUTHORIZATION_CODE_TTL, by the client they were issued to, with
 * the same redirect URI and the PKCE verifier of the request's challenge, while the browser
 * session that signed in still lives. A second exchange is an attack or a bug either way: it is
 * refused, and the session the first one started is ended (RFC 6749 §4.1.2) — at every verifier,
 * through the revocation feed.
 */

function hashCode(code: string): Buffer {
  return createHash("sha256").update(code).digest();
}

export interface CodeGrant {
  readonly request: AuthorizationRequest;
  readonly userId: string;
  readonly browserSessionId: string;
  /** When the user signed in (the browser session's start): the ID token's auth_time. */
  readonly authTime: Date;
}

/** Stores a new code for a checked request and a signed-in user; returns the code to redirect with. */
export async function issueAuthorizationCode(ctx: AuthContext, grant: CodeGrant): Promise<string> {
  const code = randomBytes(32).toString("base64url");
  const now = ctx.now();
  await insertAuthorizationCode(ctx.db, {
    id: randomId(),
    codeHash: hashCode(code),
    clientId: grant.request.client.id,
    userId: grant.userId,
    browserSessionId: grant.browserSessionId,
    redirectUri: grant.request.redirectUri,
    codeChallenge: grant.request.codeChallenge,
    scope: grant.request.scopes.join(" "),
    nonce: grant.request.nonce ?? null,
    authTime: grant.authTime,
    createdAt: new Date(now),
    expiresAt: new Date(now + ctx.config.authorizationCodeTtl * 1000),
  });
  return code;
}

export interface CodeExchange {
  readonly code: string;
  readonly client: Client;
  readonly redirectUri: string | undefined;
  readonly codeVerifier: string | undefined;
  readonly userAgent: string | null;
  readonly ip: string | null;
}

export interface ExchangedCode {
  readonly pair: TokenPair;
  /** Present when the request had the `openid` scope. */
  readonly idToken: string | undefined;
  readonly scope: string;
  /** Whether the refresh token goes to the client: only with `offline_access` (OpenID Connect Core §11). */
  readonly includeRefreshToken: boolean;
}

/** The token endpoint's authorization_code grant; every refusal is invalid_grant, the reason logged. */
export async function exchangeAuthorizationCode(ctx: AuthContext, input: CodeExchange): Promise<ExchangedCode> {
  const now = ctx.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = input.code.length <= 128 ? await lockAuthorizationCode(tx, hashCode(input.code)) : null;
    if (row === null) return { refused: "unknown code" } as const;
    if (row.consumedAt !== null) {
      // A replay: whoever holds the code now is not to be trusted, nor what the first use got.
      const ended =
        row.issuedSessionId === null
          ? []
          : await endSessions(tx, ctx, {
              sessionId: row.issuedSessionId,
              userId: row.userId,
              reason: "authorization_code_replayed",
            });
      return { refused: "code used before: the session it started is ended", ended: ended.length } as const;
    }
    const mismatch = checkExchange(row, input, now);
    if (mismatch !== undefined) {
      // A failed check spends the code too: a verifier may not be guessed in several tries.
      await consumeAuthorizationCode(tx, row.id, { now: new Date(now), issuedSessionId: null });
      return { refused: mismatch } as const;
    }
    const browser = await findSession(tx, row.browserSessionId);
    const user = await findUserById(tx, row.userId);
    if (browser === null || browser.endedAt !== null || browser.absoluteExpiresAt.getTime() <= now) {
      await consumeAuthorizationCode(tx, row.id, { now: new Date(now), issuedSessionId: null });
      return { refused: "the browser session that signed in has ended" } as const;
    }
    if (user === null || user.disabledAt !== null) return { refused: "the user is disabled or deleted" } as const;
    const pair = await startSession(tx, ctx, {
      userId: user.id,
      roles: user.roles,
      clientId: row.clientId,
      userAgent: input.userAgent,
      ip: input.ip,
      parent: { id: browser.id, absoluteExpiresAt: browser.absoluteExpiresAt },
      scope: row.scope,
    });
    await consumeAuthorizationCode(tx, row.id, { now: new Date(now), issuedSessionId: pair.sessionId });
    return { pair, row, user } as const;
  });
  if ("refused" in outcome) {
    if ("ended" in outcome) countRevocations(ctx, "session", outcome.ended ?? 0);
    throw new OAuthError("invalid_grant", "The authorization code is invalid, expired or already used.", {
      reason: outcome.refused,
    });
  }
  const { pair, row, user } = outcome;
  const idToken = hasScope(row.scope, "openid")
    ? issueIdToken(ctx, {
        user,
        clientId: row.clientId,
        scope: row.scope,
        nonce: row.nonce,
        authTime: row.authTime,
        browserSessionId: row.browserSessionId,
      })
    : undefined;
  return { pair, idToken, scope: row.scope, includeRefreshToken: hasScope(row.scope, "offline_access") };
}

/** Why a live code cannot be exchanged by this request; undefined when it can. */
function checkExchange(row: AuthorizationCodeRow, input: CodeExchange, now: number): string | undefined {
  if (row.expiresAt.getTime() <= now) return "code expired";
  if (row.clientId !== input.client.id) return `code issued to client ${row.clientId}, not ${input.client.id}`;
  if (input.redirectUri !== row.redirectUri) return "redirect_uri differs from the authorization request's";
  if (input.codeVerifier === undefined) return "code_verifier missing";
  if (!verifierMatches(input.codeVerifier, row.codeChallenge)) return "code_verifier does not match the code_challenge";
  return undefined;
}
