// Public API of @sigil/server. This file only re-exports.

export type { AccessTokenClaims } from "./auth/access-token.js";
export { AUTH_ERRORS, AuthError, type AuthErrorCode, isAuthError } from "./auth/auth-error.js";
export { AuthService, type AuthServiceDeps, type UserInfo } from "./auth/auth-service.js";
export { loadRefreshDerivationKey } from "./auth/derivation-key.js";
export type { TokenPair } from "./auth/start-session.js";
export { ClientRegistry, createClient } from "./clients/index.js";
export { ConfigError, isConfigError, loadConfig, type ServerConfig } from "./config/index.js";
export { type AppDeps, buildApp, type RoutePlugin } from "./http/app.js";
export { KEY_CHANGES_CHANNEL, KeyManager, reloadIntervalMs, rotateKeys } from "./keys/index.js";
export {
  FORWARD_AUTH_PATH,
  REVOCATION_FEED_PATH,
  RevocationFeedHub,
  revocationFeedPlugin,
} from "./revocation-feed/index.js";
export { type RunningServer, type StartOptions, startServer, summaryLine } from "./serve.js";
export type { Database, Queryable, QueryResult } from "./store/database.js";
export { migrate } from "./store/migrate.js";
export { type DatabaseLocation, openDatabase } from "./store/open-database.js";
export { openPGlite } from "./store/pglite.js";
export { openPostgres } from "./store/postgres.js";
export { REVOCATIONS_CHANNEL } from "./store/revocations.js";
export { formatImportResult, importUsers } from "./users/import-users.js";
