import type { JWSAlgorithm, JWTPayload } from "@sigil/jwt";

/**
 * The profile of a Sigil access token: what the auth server signs and every check — the
 * server's own endpoints, introspection, forward auth, the embeddable verifier — expects.
 */

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const ACCESS_TOKEN_TYP = "at+jwt";

/** RFC 9068 §2.2: the claims an access token must carry. */
export const ACCESS_TOKEN_REQUIRED_CLAIMS: readonly string[] = Object.freeze([
  "iss",
  "exp",
  "aud",
  "sub",
  "client_id",
  "iat",
  "jti",
]);

/** The algorithms the auth server signs access tokens with. */
export type ServerSigningAlg = "EdDSA" | "ES256" | "RS256" | "HS256";

/**
 * The allow-list (RFC 8725 §3.1) for checking the server's own tokens: every asymmetric algorithm
 * its keys may carry — not just the configured one, so tokens signed before a change of signing
 * algorithm stay valid until they expire (the old key stays in the ring that long). Algorithm
 * confusion stays impossible: each key is bound to its one algorithm, and HS256 (single-service
 * mode) is never mixed with public-key algorithms.
 */
export function accessTokenAlgorithms(signingAlg: ServerSigningAlg): JWSAlgorithm[] {
  return signingAlg === "HS256" ? ["HS256"] : ["EdDSA", "ES256", "RS256"];
}

/** The payload of a Sigil access token as it is signed (RFC 9068 §2.2 names). */
export interface AccessTokenPayload extends JWTPayload {
  sub?: string;
  /** The session; absent on service (client_credentials) tokens. */
  sid?: string;
  client_id?: string;
  /** Space-separated scopes (RFC 9068 §2.2.3, RFC 8693 §4.2). */
  scope?: string;
  /** Roles (RFC 9068 §2.2.3.1). */
  roles?: string[];
}

/** An access token's claims, type-checked, as the auth server's own checks use them. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  /** The session; absent on service (client_credentials) tokens, which have no session. */
  sid: string | undefined;
  clientId: string;
  scope: string | undefined;
  roles: string[];
  /** Seconds since 1970. */
  iat: number;
  exp: number;
  jti: string;
}

/**
 * The claims of a verified payload, each of the type the profile gives it; null when one is of
 * another type (a token no Sigil server would sign, so it is refused rather than half-read).
 */
export function readAccessTokenClaims(payload: Readonly<Record<string, unknown>>): AccessTokenClaims | null {
  const { iss, sub, aud, sid, client_id, scope, roles, iat, exp, jti } = payload;
  if (typeof iss !== "string" || typeof sub !== "string" || typeof client_id !== "string") return null;
  if (typeof jti !== "string" || typeof iat !== "number" || typeof exp !== "number") return null;
  if (typeof aud !== "string" && !(Array.isArray(aud) && aud.every((value) => typeof value === "string"))) {
    return null;
  }
  if (sid !== undefined && typeof sid !== "string") return null;
  if (scope !== undefined && typeof scope !== "string") return null;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === "string"))) return null;
  return {
    iss,
    sub,
    aud: aud as string | string[],
    sid,
    clientId: client_id,
    scope,
    roles: (roles as string[] | undefined) ?? [],
    iat,
    exp,
    jti,
  };
}

/** Whom an access token speaks for. */
export type TokenSubject = "user" | "service";

/**
 * Whether a token acts for a user or is a service's own: a user token names the session it
 * belongs to (`sid`); a service token (client_credentials, RFC 6749 §4.4) has no session and its
 * subject is the client itself (`sub` = `client_id`). A payload of neither shape is no Sigil
 * token: null, refused by every check.
 */
export function tokenSubjectOf(payload: Readonly<Record<string, unknown>>): TokenSubject | null {
  if (typeof payload["sid"] === "string") return "user";
  if (payload["sid"] === undefined && typeof payload["sub"] === "string" && payload["sub"] === payload["client_id"]) {
    return "service";
  }
  return null;
}
