// Public API of @sigil/verifier. This file only re-exports.

// The protocol pieces a resource service meets through the verifier's API.
export {
  type AccessTokenPayload,
  type BearerExtraction,
  type BearerOptions,
  type BearerSource,
  extractBearer,
  type RevocationEntry,
  readCookie,
  type TokenSubject,
  tokenSubjectOf,
} from "@sigil/protocol";

export { createAccessTokenVerifier } from "./create-access-token-verifier.js";
export {
  type DiscoveryOptions,
  discoverIssuer,
  type IssuerMetadata,
  type KeepDiscoveringOptions,
  keepDiscovering,
  type OngoingDiscovery,
} from "./discovery.js";
export { VERIFIER_ERRORS, type VerifierErrorCode } from "./errors/codes.js";
export { isVerifierError, VerifierError, type VerifierErrorDetails } from "./errors/verifier-error.js";
export type { FetchFunction } from "./lib/http.js";
export { consoleLogger, silentLogger, type VerifierLogger } from "./lib/logger.js";
export type { TimersLike } from "./lib/timers.js";
export {
  type AuthenticateOptions,
  type Authenticator,
  type AuthOutcome,
  type AuthRequest,
  createAuthenticator,
  createGuard,
  type Guard,
  type GuardOptions,
  type Rejection,
} from "./middleware/core.js";
export { sigilExpress, sigilExpressGuard } from "./middleware/express.js";
export { type SigilFastifyHook, sigilFastify, sigilFastifyGuard, sigilFastifyPlugin } from "./middleware/fastify.js";
export { type SigilHonoEnv, sigilHono, sigilHonoGuard } from "./middleware/hono.js";
export { authenticate, writeRejection } from "./middleware/node-http.js";
export { type AuthRequirement, requireRole, requireScope } from "./middleware/requirements.js";
export { createRemoteJWKS, type RemoteJWKS, type RemoteJWKSOptions } from "./remote-jwks.js";
export { connectRevocationFeed, type RevocationFeed, type RevocationFeedOptions } from "./revocation/feed-client.js";
export type { RevocationOptions } from "./revocation/guard.js";
export {
  createIntrospectionClient,
  type IntrospectionClient,
  type IntrospectionClientOptions,
} from "./revocation/introspection.js";
export {
  createRevocationMirror,
  type RevocationMirror,
  type RevocationMirrorOptions,
  type RevocationReason,
} from "./revocation/mirror.js";
export type {
  AccessTokenVerifier,
  AccessTokenVerifierOptions,
  VerifiedAccessToken,
  VerifierStats,
} from "./verifier-types.js";
