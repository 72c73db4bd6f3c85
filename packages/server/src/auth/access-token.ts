import { createVerifier, isJWTError, signJWT } from "@sigil/jwt";
import { isAccessTokenRevoked } from "../store/revocations.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { randomId } from "./ids.js";

/** The claims of a Sigil access token (RFC 9068 §2.2), as the server's own checks return them. */
export interface AccessTokenClaims {
  sub: string;
  /** The session; absent on client_credentials tokens, which have no session. */
  sid: string | undefined;
  clientId: string;
  scope: string | undefined;
  roles: string[];
  /** Seconds since 1970. */
  iat: number;
  exp: number;
  jti: string;
}

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
export function issueAccessToken(ctx: AuthContext, subject: AccessTokenSubject): IssuedAccessToken {
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
  const token = signJWT(payload, ctx.keys.signingKey(), { expiresIn, typ: "at+jwt", jti: randomId(), now: ctx.now });
  return { token, expiresIn };
}

export interface CheckOptions {
  /**
   * Accept a token that is valid but revoked (its session already ended). Only for logout, which
   * is idempotent: a client retrying a logout whose answer it lost gets 204 again, not a 401.
   */
  allowRevoked?: boolean;
}

/** A function checking the server's own access tokens: signature and claims, then revocation. */
export type AccessTokenChecker = (token: string, options?: CheckOptions) => Promise<AccessTokenClaims>;

/**
 * Builds the checker once: issuer, audience and `typ: at+jwt` per RFC 9068 §4, and an algorithm
 * allow-list (RFC 8725 §3.1) of the asymmetric algorithms the server can sign with — not just the
 * configured one, so tokens signed before a change of SIGIL_SIGNING_ALG stay valid until they
 * expire (the old key stays in the ring that long). Algorithm confusion is still impossible: each
 * key in the ring is bound to its own algorithm, and HS256 (single-service mode) is never mixed
 * with the asymmetric ones. Every refusal is an AuthError
 * `invalid_token` whose internal reason — the JWT error code, or TOKEN_REVOKED — is for the log;
 * the client only ever sees `invalid_token` (RFC 6750 §3.1).
 */
export function createAccessTokenChecker(ctx: AuthContext): AccessTokenChecker {
  const verify = createVerifier({
    algorithms: ctx.config.signingAlg === "HS256" ? ["HS256"] : ["EdDSA", "ES256", "RS256"],
    keys: ctx.keys.keyRing,
    issuer: ctx.config.issuer,
    audience: ctx.config.audience,
    typ: "at+jwt",
    clockTolerance: ctx.config.clockTolerance,
    requireExpiry: true,
    requiredClaims: ["sub", "iat", "jti", "client_id"],
    now: ctx.now,
  });
  const refuse = (code: string): AuthError => {
    ctx.metrics?.tokenCheckFailuresTotal.inc({ code });
    return new AuthError("invalid_token", { internalReason: code });
  };
  return async function checkAccessToken(token: string, options: CheckOptions = {}): Promise<AccessTokenClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = verify(token).payload;
    } catch (error) {
      throw refuse(isJWTError(error) ? error.code : "VERIFY_FAILED");
    }
    const claims = readClaims(payload);
    if (!claims) throw refuse("CLAIM_INVALID");
    if (options.allowRevoked) return claims;
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

function readClaims(payload: Record<string, unknown>): AccessTokenClaims | null {
  const { sub, sid, client_id, scope, roles, iat, exp, jti } = payload;
  if (typeof sub !== "string" || typeof client_id !== "string" || typeof jti !== "string") return null;
  if (typeof iat !== "number" || typeof exp !== "number") return null;
  if (sid !== undefined && typeof sid !== "string") return null;
  if (scope !== undefined && typeof scope !== "string") return null;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === "string"))) return null;
  return { sub, sid, clientId: client_id, scope, roles: (roles as string[] | undefined) ?? [], iat, exp, jti };
}
