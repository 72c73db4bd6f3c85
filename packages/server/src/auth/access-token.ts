import { createVerifier, isJWTError, signJWT, type VerificationKeySet } from "@sigil/jwt";
import {
  ACCESS_TOKEN_REQUIRED_CLAIMS,
  ACCESS_TOKEN_TYP,
  type AccessTokenClaims,
  accessTokenAlgorithms,
  readAccessTokenClaims,
  tokenSubjectOf,
} from "@sigil/protocol";
import type { ServerConfig } from "../config/config.js";
import type { ServerContext } from "../server-context.js";
import type { Queryable } from "../store/database.js";
import { isAccessTokenRevoked } from "../store/revocations.js";
import { AuthError } from "./auth-error.js";
import { randomId } from "./ids.js";

export interface AccessTokenSubject {
  sub: string;
  sid?: string;
  clientId: string;
  scope?: string;
  roles?: readonly string[];
  /** Default: the configured audience (first-party API). */
  audience?: string;
}

export interface IssuedAccessToken {
  token: string;
  /** Seconds (the `expires_in` of RFC 6749 §5.1). */
  expiresIn: number;
}

/**
 * Signs an RFC 9068 access token: header `typ: "at+jwt"` and `kid` (RFC 9068 §2.1), claims iss,
 * sub, aud, exp, iat, jti, client_id, and sid, scope, roles when present (§2.2, §2.2.3.1). No
 * personal data (email, name) goes in: tokens travel through logs and browsers; /userinfo is the
 * place for profile data.
 */
export function issueAccessToken(
  ctx: Pick<ServerContext, "config" | "keys" | "now">,
  subject: AccessTokenSubject,
): IssuedAccessToken {
  const expiresIn = ctx.config.accessTokenTtl;
  const payload: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: subject.sub,
    aud: subject.audience ?? ctx.config.audience,
    client_id: subject.clientId,
  };
  if (subject.sid !== undefined) payload.sid = subject.sid;
  if (subject.scope !== undefined) payload.scope = subject.scope;
  if (subject.roles !== undefined) payload.roles = [...subject.roles];
  const token = signJWT(payload, ctx.keys.signingKey(), {
    expiresIn,
    typ: ACCESS_TOKEN_TYP,
    jti: randomId(),
    now: ctx.now,
  });
  return { token, expiresIn };
}

export interface CheckOptions {
  /**
   * Accept a token that is valid but revoked (its session already ended). Only for logout, which
   * is idempotent: a client retrying a logout whose answer it lost gets 204 again, not a 401.
   */
  allowRevoked?: boolean;
}

/** Checks one of the server's own access tokens: signature and claims, then revocation. */
export type AccessTokenCheck = (token: string, options?: CheckOptions) => Promise<AccessTokenClaims>;

/** What the access-token check reads: the keys, the revocation record (database and hub), a counter, a logger. */
export interface TokenCheckContext {
  readonly config: Pick<ServerConfig, "issuer" | "audience" | "signingAlg" | "clockTolerance">;
  readonly keys: { readonly keyRing: VerificationKeySet };
  readonly db: Queryable;
  readonly metrics: Pick<ServerContext["metrics"], "tokenCheckFailuresTotal">;
  readonly revocations: Pick<ServerContext["revocations"], "fresh" | "isRevoked">;
  readonly logger: Pick<ServerContext["logger"], "warn">;
  readonly now: () => number;
}

export interface AccessTokenCheckOptions {
  /**
   * "api" (default): the token's `aud` must be the configured audience, as for the server's own
   * endpoints. "any": any audience (introspection answers for service tokens too).
   */
  audience?: "api" | "any";
  /**
   * Where revocations are looked up. "database" (default): the authoritative record, so a
   * revocation is refused the moment it commits. "memory": the revocation feed hub's copy — no
   * I/O per request, at the cost of the NOTIFY latency every verifier lives with — falling back
   * to the database whenever the hub has not read it recently.
   */
  revocations?: "database" | "memory";
  /**
   * "users" (default): only tokens that act for a user — ones with a session — pass, as every
   * endpoint that acts for a user needs; a service (client_credentials) token is refused as
   * `user_token_required`. "any": service tokens too (introspection, revocation).
   */
  subjects?: "users" | "any";
}

/**
 * Builds the server's one access-token check (the profile of @sigil/protocol: its algorithm
 * allow-list, `typ: at+jwt`, the required claims, the claim types; issuer, audience and expiry
 * per RFC 9068 §4), used by the Bearer endpoints, introspection and forward auth alike. Every
 * refusal is an AuthError `invalid_token` whose internal reason — the JWT error code, or
 * TOKEN_REVOKED — is for the log; the client only ever sees `invalid_token` (RFC 6750 §3.1).
 */
export function createAccessTokenCheck(
  ctx: TokenCheckContext,
  options: AccessTokenCheckOptions = {},
): AccessTokenCheck {
  const profile = {
    algorithms: accessTokenAlgorithms(ctx.config.signingAlg),
    keys: ctx.keys.keyRing,
    issuer: ctx.config.issuer,
    typ: ACCESS_TOKEN_TYP,
    clockTolerance: ctx.config.clockTolerance,
    requireExpiry: true,
    requiredClaims: ACCESS_TOKEN_REQUIRED_CLAIMS,
    now: ctx.now,
  };
  const verify = createVerifier(options.audience === "any" ? profile : { ...profile, audience: ctx.config.audience });
  const verifyAnyAudience = options.audience === "any" ? verify : createVerifier(profile);
  const refuse = (code: string): AuthError => {
    ctx.metrics.tokenCheckFailuresTotal.inc({ code });
    return new AuthError("invalid_token", { internalReason: code });
  };
  const inMemory = options.revocations === "memory";
  const usersOnly = (options.subjects ?? "users") === "users";
  const serviceTokenRefused = (clientId: string): AuthError => {
    ctx.metrics.tokenCheckFailuresTotal.inc({ code: "SERVICE_TOKEN" });
    return new AuthError("user_token_required", { internalReason: `service token of client ${clientId}` });
  };
  /**
   * A service token meant for its own audience fails the users' audience check first; it is
   * still told apart (it verifies but for the audience, and speaks for no user), so that the
   * refusal says what is wrong rather than "invalid".
   */
  const refuseIfService = (token: string): void => {
    let payload: Record<string, unknown>;
    try {
      payload = verifyAnyAudience(token).payload;
    } catch {
      return;
    }
    if (tokenSubjectOf(payload) === "service") throw serviceTokenRefused(String(payload.client_id));
  };
  return async function checkAccessToken(token: string, check: CheckOptions = {}): Promise<AccessTokenClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = verify(token).payload;
    } catch (error) {
      if (usersOnly && isJWTError(error, "CLAIM_MISMATCH") && error.details.claim === "aud") refuseIfService(token);
      throw refuse(isJWTError(error) ? error.code : "VERIFY_FAILED");
    }
    const claims = readAccessTokenClaims(payload);
    const subject = tokenSubjectOf(payload);
    if (!claims || subject === null) throw refuse("CLAIM_INVALID");
    if (subject === "service" && usersOnly) throw serviceTokenRefused(claims.clientId);
    if (check.allowRevoked) return claims;
    if (inMemory && ctx.revocations.fresh) {
      if (ctx.revocations.isRevoked(claims) !== null) throw refuse("TOKEN_REVOKED");
      return claims;
    }
    if (inMemory) ctx.logger.warn({}, "revocation mirror stale: checking the token against the database");
    const revoked = await isAccessTokenRevoked(ctx.db, {
      sessionId: claims.sid,
      userId: claims.sub,
      issuedAt: new Date(claims.iat * 1000),
      now: new Date(ctx.now()),
    });
    if (revoked) throw refuse("TOKEN_REVOKED");
    return claims;
  };
}
