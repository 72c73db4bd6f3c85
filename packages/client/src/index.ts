// Public API of @sigil/client. This file only re-exports.

export type {
  ClientEvents,
  ClientMode,
  ClientOptions,
  Credentials,
  EventTargetLike,
  FetchLike,
  SigilClient,
  SignedOutEvent,
  TimersLike,
  UserInfo,
} from "./client-types.js";
export { createClient } from "./create-client.js";
export { CLIENT_ERRORS, type ClientErrorAction, type ClientErrorCode } from "./errors/codes.js";
export { type ClientErrorDetails, isSigilClientError, SigilClientError } from "./errors/sigil-client-error.js";
export { memoryTokenStore, type StoredTokens, type TokenStore } from "./session/token-store.js";
export type { BroadcastChannelLike, TabMessage } from "./tabs/tab-sync.js";
export type { LockManagerLike } from "./tabs/web-lock.js";
