import type { JWKS, SigningKey, VerificationKeySet } from "@sigil/jwt";
import type { AccessTokenClaims } from "../../auth/access-token.js";
import type { LoginInput } from "../../auth/login.js";
import type { RefreshInput } from "../../auth/refresh.js";
import type { TokenPair } from "../../auth/start-session.js";
import type { ClientRegistry } from "../../clients/client-registry.js";
import type { ServerConfig } from "../../config/config.js";
import type { Queryable } from "../../store/database.js";

/** What the OAuth endpoints need from the auth service (src/auth/auth-service.ts implements it). */
export interface OAuthAuthPort {
  login(input: LoginInput): Promise<TokenPair>;
  refresh(input: RefreshInput): Promise<TokenPair>;
  issueClientCredentialsToken(
    client: { id: string; audience: string | null },
    scope: string | undefined,
  ): { accessToken: string; tokenType: "Bearer"; expiresIn: number };
  /** Ends the session of an access token (RFC 7009 revocation of an access token). */
  logout(claims: AccessTokenClaims): Promise<void>;
  /**
   * RFC 7009 for a refresh token: ends its session (revoking every token of it) when the token
   * is known and belongs to `clientId`; does nothing — and does not throw — otherwise.
   */
  revokeRefreshToken(token: string, options: { clientId: string }): Promise<void>;
}

/** The dependencies of the token, revocation and introspection endpoints. */
export interface OAuthRouteDeps {
  config: Pick<ServerConfig, "issuer" | "audience" | "signingAlg" | "clockTolerance" | "accessTokenTtl" | "jwksMaxAge">;
  db: Queryable;
  keys: { jwks(): JWKS; signingKey(): SigningKey; readonly keyRing: VerificationKeySet };
  clients: ClientRegistry;
  auth: OAuthAuthPort;
  /** Path of the userinfo route for the metadata document, if not /userinfo. */
  userinfoPath?: string;
  /** The clock in ms since 1970 (tests freeze it). */
  now?: () => number;
}
