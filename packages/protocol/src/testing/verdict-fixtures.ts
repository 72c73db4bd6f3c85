import type { RevocationEntry } from "../feed/revocation-entry.js";
import type { RevocationReason } from "../revocation/revocation-index.js";
import { FIXTURE_NOW } from "./feed-fixtures.js";

/**
 * The revocation rule's cases (docs/revocation-feed.md, "Applying entries"): a set of entries, a
 * time, and tokens with the verdict every party must reach — the protocol's RevocationIndex, a
 * verifier's mirror, and the auth server's SQL (`isAccessTokenRevoked`).
 *
 * Entries keep the invariant the auth server keeps: an entry's `exp` is no earlier than the `exp`
 * of every token it affects. The tokens show only the claims the rule reads, as they would be in
 * a payload (so `iat` may be missing or of the wrong type).
 */

/** A token's claims as the rule sees them; `sub` is always a string (every Sigil token has one). */
export interface VerdictToken {
  readonly sub: string;
  readonly sid?: unknown;
  readonly iat?: unknown;
}

export interface VerdictCase {
  readonly name: string;
  readonly token: VerdictToken;
  /** "session", "user", or null for a token the entries do not revoke. */
  readonly expected: RevocationReason | null;
}

export interface VerdictScenario {
  readonly name: string;
  /** Applied in this order: entries may arrive in any order. */
  readonly entries: readonly RevocationEntry[];
  /** When the tokens are checked, in epoch seconds; entries whose `exp` is at or before it have been swept. */
  readonly now: number;
  readonly cases: readonly VerdictCase[];
}

const NOW = FIXTURE_NOW;

export const VERDICT_SCENARIOS: readonly VerdictScenario[] = [
  {
    name: "nothing revoked",
    entries: [],
    now: NOW,
    cases: [{ name: "any token", token: { sub: "u-1", sid: "s-1", iat: NOW - 30 }, expected: null }],
  },
  {
    name: "revoked sessions",
    entries: [
      { id: 1, kind: "session", sid: "s-revoked", exp: NOW + 900 },
      { id: 2, kind: "session", sid: "s-also-revoked", exp: NOW + 60 },
    ],
    now: NOW,
    cases: [
      { name: "its session is revoked", token: { sub: "u-1", sid: "s-revoked", iat: NOW - 30 }, expected: "session" },
      {
        name: "another user's token in a revoked session (the sid alone decides)",
        token: { sub: "u-2", sid: "s-also-revoked", iat: NOW - 800 },
        expected: "session",
      },
      { name: "a live session", token: { sub: "u-1", sid: "s-live", iat: NOW - 30 }, expected: null },
      { name: "no session (a service token)", token: { sub: "u-1", iat: NOW - 30 }, expected: null },
      { name: "sid not a string", token: { sub: "u-1", sid: 1, iat: NOW - 30 }, expected: null },
      {
        name: "sid equal but for case (identifiers compare exactly)",
        token: { sub: "u-1", sid: "S-REVOKED", iat: NOW - 30 },
        expected: null,
      },
    ],
  },
  {
    name: "a user cut-off",
    entries: [{ id: 3, kind: "user_before", sub: "u-cut", before: NOW - 300, exp: NOW + 630 }],
    now: NOW,
    cases: [
      { name: "issued a second before the cut-off", token: { sub: "u-cut", iat: NOW - 301 }, expected: "user" },
      { name: "issued long before", token: { sub: "u-cut", iat: NOW - 900 }, expected: "user" },
      { name: "issued at the cut-off", token: { sub: "u-cut", iat: NOW - 300 }, expected: null },
      { name: "issued after the cut-off", token: { sub: "u-cut", iat: NOW - 299 }, expected: null },
      {
        name: "issued before, in a session that is not revoked",
        token: { sub: "u-cut", sid: "s-live", iat: NOW - 301 },
        expected: "user",
      },
      { name: "iat missing", token: { sub: "u-cut" }, expected: "user" },
      { name: "iat a numeric string", token: { sub: "u-cut", iat: String(NOW) }, expected: "user" },
      { name: "iat null", token: { sub: "u-cut", iat: null }, expected: "user" },
      {
        name: "iat with a fraction, before the cut-off",
        token: { sub: "u-cut", iat: NOW - 300.5 },
        expected: "user",
      },
      { name: "iat with a fraction, after the cut-off", token: { sub: "u-cut", iat: NOW - 299.5 }, expected: null },
      { name: "another user", token: { sub: "u-other", iat: NOW - 900 }, expected: null },
      { name: "another user without iat", token: { sub: "u-other" }, expected: null },
      { name: "sub equal but for case", token: { sub: "U-CUT", iat: NOW - 900 }, expected: null },
    ],
  },
  {
    name: "several cut-offs for one user: the latest decides",
    entries: [
      { id: 5, kind: "user_before", sub: "u-multi", before: NOW - 100, exp: NOW + 830 },
      { id: 4, kind: "user_before", sub: "u-multi", before: NOW - 500, exp: NOW + 430 },
      { id: 6, kind: "user_before", sub: "u-multi", before: NOW - 700, exp: NOW + 230 },
    ],
    now: NOW,
    cases: [
      { name: "before every cut-off", token: { sub: "u-multi", iat: NOW - 600 }, expected: "user" },
      { name: "after the older cut-offs only", token: { sub: "u-multi", iat: NOW - 200 }, expected: "user" },
      { name: "at the latest cut-off", token: { sub: "u-multi", iat: NOW - 100 }, expected: null },
      { name: "after every cut-off", token: { sub: "u-multi", iat: NOW - 50 }, expected: null },
    ],
  },
  {
    name: "a session and a cut-off of the same user",
    entries: [
      { id: 7, kind: "session", sid: "s-both", exp: NOW + 900 },
      { id: 8, kind: "user_before", sub: "u-both", before: NOW - 10, exp: NOW + 920 },
    ],
    now: NOW,
    cases: [
      {
        name: "both apply: the session is named",
        token: { sub: "u-both", sid: "s-both", iat: NOW - 20 },
        expected: "session",
      },
      { name: "only the cut-off applies", token: { sub: "u-both", sid: "s-other", iat: NOW - 20 }, expected: "user" },
      {
        name: "the revoked session, issued after the cut-off",
        token: { sub: "u-both", sid: "s-both", iat: NOW - 5 },
        expected: "session",
      },
      { name: "neither applies", token: { sub: "u-both", sid: "s-other", iat: NOW - 10 }, expected: null },
    ],
  },
  {
    name: "entries past their exp, swept",
    entries: [
      { id: 9, kind: "session", sid: "s-expired", exp: NOW - 1 },
      { id: 10, kind: "session", sid: "s-expires-now", exp: NOW },
      { id: 11, kind: "user_before", sub: "u-expired", before: NOW - 1000, exp: NOW - 70 },
      { id: 12, kind: "session", sid: "s-expires-next", exp: NOW + 1 },
    ],
    now: NOW,
    cases: [
      {
        name: "a session entry a second past exp",
        token: { sub: "u-1", sid: "s-expired", iat: NOW - 931 },
        expected: null,
      },
      {
        name: "a session entry whose exp is now",
        token: { sub: "u-1", sid: "s-expires-now", iat: NOW - 930 },
        expected: null,
      },
      { name: "a cut-off past exp", token: { sub: "u-expired", iat: NOW - 1001 }, expected: null },
      { name: "a cut-off past exp, token without iat", token: { sub: "u-expired" }, expected: null },
      {
        name: "a session entry a second before exp",
        token: { sub: "u-1", sid: "s-expires-next", iat: NOW - 929 },
        expected: "session",
      },
    ],
  },
  {
    name: "a cut-off past exp beside a live one",
    entries: [
      { id: 13, kind: "user_before", sub: "u-two", before: NOW - 1000, exp: NOW - 70 },
      { id: 14, kind: "user_before", sub: "u-two", before: NOW - 200, exp: NOW + 730 },
    ],
    now: NOW,
    cases: [
      { name: "before the live cut-off", token: { sub: "u-two", iat: NOW - 500 }, expected: "user" },
      { name: "at the live cut-off", token: { sub: "u-two", iat: NOW - 200 }, expected: null },
    ],
  },
];
