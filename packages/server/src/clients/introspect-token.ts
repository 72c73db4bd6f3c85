import { createVerifier, isJWTError, type JWSAlgorithm, type VerificationKeySet } from "@sigil/jwt";
import type { ServerConfig } from "../config/config.js";
import type { Queryable } from "../store/database.js";
import { isAccessTokenRevoked } from "../store/revocations.js";

/** RFC 7662 §2.2: the response for an active token (members as defined there and in RFC 9068). */
export interface ActiveTokenInfo {
  active: true;
  scope?: string;
  client_id: string;
  sub: string;
  exp: number;
  iat: number;
  iss: string;
  aud: string | string[];
  jti: string;
  token_type: "Bearer";
  sid?: string;
}

export type TokenInfo = ActiveTokenInfo | { active: false };

export interface IntrospectorDeps {
  config: Pick<ServerConfig, "issuer" | "signingAlg" | "clockTolerance">;
  keys: { readonly keyRing: VerificationKeySet };
  db: Queryable;
  now?: () => number;
}

export type Introspector = (token: string) => Promise<TokenInfo>;

/**
 * Builds the introspection check: one of this server's access tokens — any audience, since
 * service tokens carry their service's `aud` — verified like every other check (algorithm
 * allow-list, key from the ring, iss, `typ: at+jwt`, exp), then looked up in the durable
 * revocation record. Anything else, including refresh tokens, is `{active: false}` (RFC 7662
 * §2.2: no reason is given).
 */
export function createIntrospector(deps: IntrospectorDeps): Introspector {
  const now = deps.now ?? Date.now;
  const verify = createVerifier({
    algorithms: allowedAlgorithms(deps.config.signingAlg),
    keys: deps.keys.keyRing,
    issuer: deps.config.issuer,
    typ: "at+jwt",
    clockTolerance: deps.config.clockTolerance,
    requireExpiry: true,
    requiredClaims: ["sub", "iat", "jti", "client_id", "aud"],
    now,
  });
  const inactive: TokenInfo = Object.freeze({ active: false });
  return async function introspect(token: string): Promise<TokenInfo> {
    let payload: Record<string, unknown>;
    try {
      payload = verify(token).payload;
    } catch (error) {
      if (isJWTError(error)) return inactive;
      throw error;
    }
    const { sub, client_id, jti, iat, exp, aud, iss, scope, sid } = payload;
    if (typeof sub !== "string" || typeof client_id !== "string" || typeof jti !== "string") return inactive;
    if (typeof iat !== "number" || typeof exp !== "number" || typeof iss !== "string") return inactive;
    if (typeof aud !== "string" && !Array.isArray(aud)) return inactive;
    if ((scope !== undefined && typeof scope !== "string") || (sid !== undefined && typeof sid !== "string")) {
      return inactive;
    }
    const revoked = await isAccessTokenRevoked(deps.db, {
      sessionId: sid,
      userId: sub,
      issuedAt: new Date(iat * 1000),
      now: new Date(now()),
    });
    if (revoked) return inactive;
    const info: ActiveTokenInfo = {
      active: true,
      client_id,
      sub,
      exp,
      iat,
      iss,
      aud: aud as string | string[],
      jti,
      token_type: "Bearer",
    };
    if (scope !== undefined) info.scope = scope;
    if (sid !== undefined) info.sid = sid;
    return info;
  };
}

/**
 * Every algorithm the server's own keys may carry, so tokens of a key retired by a change of
 * SIGIL_SIGNING_ALG stay checkable until they expire. Safe (RFC 8725 §3.1): a key is only taken
 * from the server's ring, and each key is bound to its one algorithm. HS256 mode stays alone —
 * it is never mixed with public keys (the algorithm-confusion attack).
 */
function allowedAlgorithms(signingAlg: ServerConfig["signingAlg"]): JWSAlgorithm[] {
  return signingAlg === "HS256" ? ["HS256"] : ["EdDSA", "ES256", "RS256"];
}
