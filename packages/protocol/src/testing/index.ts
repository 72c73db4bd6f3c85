// @sigil/protocol/testing: the revocation feed's contract as data — wire events each side must
// accept or refuse, and tokens with the verdict the revocation rule gives them — for the tests
// of the protocol, the auth server and the verifier (docs/revocation-feed.md). This file only
// re-exports.
export {
  ACCEPTED_EVENTS,
  type AcceptedEventCase,
  FIXTURE_NOW,
  REFUSED_EVENTS,
  type RefusedEventCase,
  toEventStream,
} from "./feed-fixtures.js";
export { VERDICT_SCENARIOS, type VerdictCase, type VerdictScenario, type VerdictToken } from "./verdict-fixtures.js";
