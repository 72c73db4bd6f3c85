// Registered OAuth clients: registration, listing, authentication. This file only re-exports.
export {
  authenticateClient,
  CLIENT_AUTH_METHODS,
  type ClientAuthentication,
  type ClientAuthMethod,
  type ClientCredentialsRequest,
  requireAuthenticatedClient,
  requireIdentifiedClient,
} from "./authenticate-client.js";
export { CLIENT_PERMISSIONS, type Client, type ClientPermission, GRANT_TYPES, type GrantType } from "./client.js";
export { requirePermission, setPermissions } from "./client-permissions.js";
export { grantableScopes } from "./client-scopes.js";
export { generateClientSecret, hashClientSecret, verifyClientSecret } from "./client-secret.js";
export { type CreateClientInput, type CreatedClient, createClient } from "./create-client.js";
export { listRegisteredClients } from "./list-clients.js";
export { isOAuthError, OAuthError, type OAuthErrorCode } from "./oauth-error.js";
export { checkRedirectUri, setRedirectUris } from "./redirect-uris.js";
