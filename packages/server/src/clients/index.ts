// Registered OAuth clients: registration, authentication, introspection of issued tokens.
export {
  authenticateClient,
  CLIENT_AUTH_METHODS,
  type ClientAuthentication,
  type ClientAuthMethod,
  type ClientCredentialsRequest,
  requireAuthenticatedClient,
} from "./authenticate-client.js";
export { type Client, GRANT_TYPES, type GrantType } from "./client.js";
export { ClientRegistry } from "./client-registry.js";
export { grantableScopes } from "./client-scopes.js";
export { generateClientSecret, hashClientSecret, verifyClientSecret } from "./client-secret.js";
export { type CreateClientInput, type CreatedClient, createClient } from "./create-client.js";
export { type ActiveTokenInfo, createIntrospector, type Introspector, type TokenInfo } from "./introspect-token.js";
export { isOAuthError, OAuthError, type OAuthErrorCode } from "./oauth-error.js";
