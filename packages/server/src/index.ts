// Public API of @sigil/server: running a server (startServer, buildApp on openServerContext),
// its configuration, its store, the administration the CLI does (clients, keys, user import),
// the mailer's interface, the error catalogues and settings declarations docs/ is generated from, and the argon2
// parameters bench:argon2 measures. The test harness is the "@sigil/server/testing" export.
// This file only re-exports.
export { buildApp } from "./app.js";
export { AUTH_ERRORS, AuthError, type AuthErrorCode, isAuthError } from "./auth/auth-error.js";
export {
  authenticateClient,
  type Client,
  type CreateClientInput,
  type CreatedClient,
  createClient,
  type GrantType,
  listRegisteredClients,
  setPermissions as setClientPermissions,
  setRedirectUris as setClientRedirectUris,
} from "./clients/index.js";
export { OAUTH_ERRORS, OAuthError, type OAuthErrorCode } from "./clients/oauth-error.js";
export { CONFIG_ERRORS } from "./config/config-error.js";
export {
  ConfigError,
  findSetting,
  isConfigError,
  loadConfig,
  SETTINGS,
  type ServerConfig,
  type Setting,
} from "./config/index.js";
export { renderSettingsTable, withSettingsTable } from "./config/settings-table.js";
export { HTTP_ERRORS } from "./http/http-errors.js";
export { KEY_CHANGES_CHANNEL, KeyManager, publishLeadMs, reloadIntervalMs, rotateKeys } from "./keys/index.js";
export { KEY_ENCRYPTION_ERRORS } from "./keys/key-encryption.js";
export {
  isMailError,
  MAIL_ERRORS,
  MailError,
  type MailErrorCode,
  type Mailer,
  type MailKind,
  type MailMessage,
} from "./mail/index.js";
export { AUTHORIZATION_ERRORS, type AuthorizationErrorCode } from "./oidc/authorization-error.js";
export { ARGON2_PARAMS, OWASP_ARGON2ID_MINIMUMS } from "./passwords/argon2-params.js";
export { PASSWORD_ERRORS } from "./passwords/password-errors.js";
export { PATHS } from "./routes/paths.js";
export { type RunningServer, type StartOptions, startServer, summaryLine } from "./serve.js";
export {
  type OpenedServerContext,
  type OpenServerContextOptions,
  openServerContext,
  type ServerContext,
} from "./server-context.js";
export { DATA_DIR_ERRORS, DataDirError, isDataDirError } from "./store/data-dir-error.js";
export type { Database, Queryable, QueryResult } from "./store/database.js";
export { migrate } from "./store/migrate.js";
export { type DatabaseLocation, openDatabase } from "./store/open-database.js";
export { openPGlite } from "./store/pglite.js";
export { openPostgres } from "./store/postgres.js";
export type { TimersLike } from "./timers.js";
export { formatImportResult, importUsers } from "./users/import-users.js";
export { type SignedOutUser, signOutUser } from "./users/sign-out-user.js";
