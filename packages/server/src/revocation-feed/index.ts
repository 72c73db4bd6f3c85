// The revocation feed (auth server side): hub, state, SSE framing. This file only re-exports.
export { type FeedEntry, serializeEntry, toFeedEntry } from "./feed-entry.js";
export { type DropReason, type FeedSink, FeedSubscriber, type FeedSubscriberOptions } from "./feed-subscriber.js";
export { FORWARD_AUTH_PATH, REVOCATION_FEED_PATH } from "./paths.js";
export { type HubLogger, RevocationFeedHub, type RevocationFeedHubOptions } from "./revocation-feed-hub.js";
export { type RevocationFeedPluginOptions, revocationFeedPlugin } from "./revocation-feed-plugin.js";
export { RevocationSequencer, type SequencerOptions } from "./revocation-sequencer.js";
export { RevocationState, type TokenIdentity } from "./revocation-state.js";
