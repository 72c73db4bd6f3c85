// The revocation feed (auth server side): the hub that keeps the revocations in force in memory
// and streams them to verifiers. The wire format is @sigil/protocol's. This file only re-exports.
export { type DropReason, type FeedSink, FeedSubscriber, type FeedSubscriberOptions } from "./feed-subscriber.js";
export { type HubLogger, RevocationFeedHub, type RevocationFeedHubOptions } from "./revocation-feed-hub.js";
export { RevocationSequencer, type SequencerOptions } from "./revocation-sequencer.js";
export { RevocationState } from "./revocation-state.js";
