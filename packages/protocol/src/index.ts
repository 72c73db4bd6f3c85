// Public API of @sigil/protocol: what the auth server and its verifiers must agree on. This file
// only re-exports.

export {
  DEFAULT_FEED_RETRY_MS,
  FEED_EVENTS,
  type FeedEvent,
  type FeedSnapshot,
  formatFeedEvent,
  formatRetry,
  heartbeatEvent,
  parseEventId,
  parseRevocationEvent,
  parseSnapshot,
  readFeedEvent,
  revocationEvent,
  snapshotEvent,
} from "./feed/feed-events.js";
export { parseRevocationEntry, type RevocationEntry, serializeRevocationEntry } from "./feed/revocation-entry.js";
export { createSSEParser, type ServerSentEvent, type SSEParser, type SSEParserOptions } from "./feed/sse-parser.js";
export {
  type BearerExtraction,
  type BearerOptions,
  type BearerSource,
  extractBearer,
  isB64Token,
  unverifiedBearer,
} from "./http/bearer.js";
export { readCookie } from "./http/cookie.js";
export { RevocationIndex, type RevocationReason, type RevocationSubject } from "./revocation/revocation-index.js";
export {
  ACCESS_TOKEN_REQUIRED_CLAIMS,
  ACCESS_TOKEN_TYP,
  type AccessTokenClaims,
  type AccessTokenPayload,
  accessTokenAlgorithms,
  readAccessTokenClaims,
  type ServerSigningAlg,
  type TokenSubject,
  tokenSubjectOf,
} from "./token/access-token.js";
