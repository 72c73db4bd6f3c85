import { type AccessTokenCheck, createAccessTokenCheck, type TokenCheckContext } from "./access-token.js";
import { isAuthError } from "./auth-error.js";

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

/** Introspects one token; see {@link createAccessTokenIntrospection}. */
export type AccessTokenIntrospection = (token: string) => Promise<TokenInfo>;

const INACTIVE: TokenInfo = Object.freeze({ active: false });

/**
 * RFC 7662 introspection of the server's own access tokens: the server's one access-token check
 * with any audience (service tokens carry their service's `aud`) and the durable revocation
 * record. Anything it refuses — refresh tokens included — is `{active: false}` (§2.2: no reason
 * is given).
 */
export function createAccessTokenIntrospection(ctx: TokenCheckContext): AccessTokenIntrospection {
  const check: AccessTokenCheck = createAccessTokenCheck(ctx, { audience: "any", subjects: "any" });
  return async function introspect(token: string): Promise<TokenInfo> {
    let claims: Awaited<ReturnType<AccessTokenCheck>>;
    try {
      claims = await check(token);
    } catch (error) {
      if (isAuthError(error) && error.error === "invalid_token") return INACTIVE;
      throw error;
    }
    const info: ActiveTokenInfo = {
      active: true,
      client_id: claims.clientId,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      iss: claims.iss,
      aud: claims.aud,
      jti: claims.jti,
      token_type: "Bearer",
    };
    if (claims.scope !== undefined) info.scope = claims.scope;
    if (claims.sid !== undefined) info.sid = claims.sid;
    return info;
  };
}
