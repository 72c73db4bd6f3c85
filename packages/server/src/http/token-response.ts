import type { TokenPair } from "../auth/start-session.js";

/** RFC 6749 §5.1 body of a token pair. */
export function tokenPairBody(pair: TokenPair): {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
} {
  return {
    access_token: pair.accessToken,
    token_type: pair.tokenType,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
  };
}

/** RFC 6749 §5.1: token responses must not be cached. */
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/**
 * The first-party endpoints' token body (/auth/login, /auth/refresh): in cookie mode without the
 * refresh token, which then travels only in the HttpOnly cookie, out of every script's reach.
 */
export function firstPartyTokenBody(
  pair: TokenPair,
  mode: "cookie" | "body",
): Omit<ReturnType<typeof tokenPairBody>, "refresh_token"> & { refresh_token?: string } {
  const { refresh_token, ...rest } = tokenPairBody(pair);
  return mode === "cookie" ? rest : { ...rest, refresh_token };
}
