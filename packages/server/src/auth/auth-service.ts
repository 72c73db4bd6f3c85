import { findUserById } from "../store/users.js";
import {
  type AccessTokenChecker,
  type AccessTokenClaims,
  type CheckOptions,
  createAccessTokenChecker,
  issueAccessToken,
} from "./access-token.js";
import { AuthError } from "./auth-error.js";
import type { AuthContext } from "./context.js";
import { listSessions, type SessionView } from "./list-sessions.js";
import { type LoginInput, login } from "./login.js";
import { endOwnSession, logout, logoutAll } from "./logout.js";
import { type ChangePasswordInput, changePassword } from "./password.js";
import type { AuthLogger, AuthMetricsPort } from "./ports.js";
import { type RefreshInput, refresh } from "./refresh.js";
import { type RegisteredUser, register } from "./register.js";
import { revokeRefreshToken } from "./revoke-refresh-token.js";
import type { TokenPair } from "./start-session.js";

/** The AuthContext, with metrics, logger and the clock optional (the clock defaults to Date.now). */
export type AuthServiceDeps = Omit<AuthContext, "metrics" | "logger" | "now"> & {
  readonly metrics?: AuthMetricsPort;
  readonly logger?: AuthLogger;
  readonly now?: () => number;
};

/** The user's profile for /userinfo (OpenID Connect Core §5.3.2 names). */
export interface UserInfo {
  sub: string;
  email: string;
  roles: string[];
}

/**
 * The auth operations behind the HTTP routes. Each method throws an AuthError with a stable code
 * on refusal; src/http/error-handler.ts maps codes to responses in one place.
 *
 * @example
 * const auth = new AuthService({ db, config, keys, hasher, passwordPolicy, rateLimiter, refreshDerivationKey });
 * const pair = await auth.login({ email, password, clientId: "first-party", userAgent, ip });
 * const claims = await auth.checkAccessToken(pair.accessToken);
 */
export class AuthService {
  readonly #ctx: AuthContext;
  readonly #check: AccessTokenChecker;

  constructor(deps: AuthServiceDeps) {
    this.#ctx = {
      db: deps.db,
      config: deps.config,
      keys: deps.keys,
      hasher: deps.hasher,
      passwordPolicy: deps.passwordPolicy,
      rateLimiter: deps.rateLimiter,
      metrics: deps.metrics,
      logger: deps.logger,
      refreshDerivationKey: deps.refreshDerivationKey,
      now: deps.now ?? Date.now,
    };
    this.#check = createAccessTokenChecker(this.#ctx);
  }

  register(input: { email: string; password: string }): Promise<RegisteredUser> {
    return register(this.#ctx, input);
  }

  login(input: LoginInput): Promise<TokenPair> {
    return login(this.#ctx, input);
  }

  refresh(input: RefreshInput): Promise<TokenPair> {
    return refresh(this.#ctx, input);
  }

  /** Verifies one of this server's access tokens, then consults the revocation record. */
  checkAccessToken(token: string, options: CheckOptions = {}): Promise<AccessTokenClaims> {
    return this.#check(token, options);
  }

  logout(claims: AccessTokenClaims): Promise<void> {
    return logout(this.#ctx, claims);
  }

  logoutAll(claims: AccessTokenClaims): Promise<void> {
    return logoutAll(this.#ctx, claims);
  }

  listSessions(claims: AccessTokenClaims): Promise<SessionView[]> {
    return listSessions(this.#ctx, claims);
  }

  endSession(claims: AccessTokenClaims, sessionId: string): Promise<void> {
    return endOwnSession(this.#ctx, claims, sessionId);
  }

  changePassword(claims: AccessTokenClaims, input: ChangePasswordInput): Promise<void> {
    return changePassword(this.#ctx, claims, input);
  }

  /** RFC 7009 revocation of a refresh token issued to `clientId` (ends its session); silent otherwise. */
  revokeRefreshToken(token: string, options: { clientId: string }): Promise<void> {
    return revokeRefreshToken(this.#ctx, token, options);
  }

  async userInfo(claims: AccessTokenClaims): Promise<UserInfo> {
    const user = await findUserById(this.#ctx.db, claims.sub);
    if (!user || user.disabledAt !== null) throw new AuthError("invalid_token", { internalReason: "USER_NOT_FOUND" });
    return { sub: user.id, email: user.email, roles: user.roles };
  }

  /**
   * A service-to-service token (RFC 6749 §4.4): the client is the subject, its own audience, no
   * session and no refresh token. The caller (the token endpoint) has authenticated the client.
   */
  issueClientCredentialsToken(
    client: { id: string; audience: string | null },
    scope: string | undefined,
  ): { accessToken: string; tokenType: "Bearer"; expiresIn: number } {
    const access = issueAccessToken(this.#ctx, {
      sub: client.id,
      clientId: client.id,
      ...(scope !== undefined ? { scope } : {}),
      ...(client.audience !== null ? { audience: client.audience } : {}),
    });
    return { accessToken: access.token, tokenType: "Bearer", expiresIn: access.expiresIn };
  }
}
