import type { FeedEvent } from "../feed/feed-events.js";
import type { ServerSentEvent } from "../feed/sse-parser.js";

/**
 * The wire-level cases of docs/revocation-feed.md, "Events" and "Entries": events as an SSE
 * parser dispatches them (type, data, last event id), each either accepted — with what it must
 * read as — or refused. The protocol's own tests, the auth server's and the verifier's run the
 * same cases, so both sides keep one reading of the wire.
 */

/** The time the cases are written around, in epoch seconds (2030-03-17T17:46:40Z). */
export const FIXTURE_NOW = 1_900_000_000;

/** A dispatched event that must be read as `expected`. */
export interface AcceptedEventCase {
  readonly name: string;
  readonly event: ServerSentEvent;
  readonly expected: FeedEvent;
}

/** A dispatched event that must be refused: nothing of it applied, the connection dropped. */
export interface RefusedEventCase {
  readonly name: string;
  readonly event: ServerSentEvent;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const NOW = FIXTURE_NOW;
const EXP = NOW + 930; // a revocation made now outlives a 900 s token by the 30 s clock tolerance
const LONG_ID = "u".repeat(256);

function snapshot(id: string, data: string): ServerSentEvent {
  return { type: "snapshot", data, lastEventId: id };
}

function revocation(id: string, data: string): ServerSentEvent {
  return { type: "revocation", data, lastEventId: id };
}

export const ACCEPTED_EVENTS: readonly AcceptedEventCase[] = [
  {
    name: "snapshot of an empty history (id 0)",
    event: snapshot("0", `{"revocations":[],"now":${NOW * 1000}}`),
    expected: { type: "snapshot", snapshot: { lastEventId: 0, revocations: [] } },
  },
  {
    name: "snapshot with an entry of each kind",
    event: snapshot(
      "42",
      `{"revocations":[{"id":40,"kind":"session","sid":"s-snap","exp":${EXP}},` +
        `{"id":42,"kind":"user_before","sub":"u-snap","before":${NOW - 60},"exp":${EXP - 60}}],"now":${NOW * 1000}}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: {
        lastEventId: 42,
        revocations: [
          { id: 40, kind: "session", sid: "s-snap", exp: EXP },
          { id: 42, kind: "user_before", sub: "u-snap", before: NOW - 60, exp: EXP - 60 },
        ],
      },
    },
  },
  {
    name: "snapshot whose entries are not in id order",
    event: snapshot(
      "9",
      `{"revocations":[{"id":9,"kind":"session","sid":"s-9","exp":${EXP}},{"id":3,"kind":"session","sid":"s-3","exp":${EXP}}],"now":${NOW * 1000}}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: {
        lastEventId: 9,
        revocations: [
          { id: 9, kind: "session", sid: "s-9", exp: EXP },
          { id: 3, kind: "session", sid: "s-3", exp: EXP },
        ],
      },
    },
  },
  {
    name: "snapshot without `now` (informational only)",
    event: snapshot("7", `{"revocations":[{"id":7,"kind":"session","sid":"s-7","exp":${EXP}}]}`),
    expected: {
      type: "snapshot",
      snapshot: { lastEventId: 7, revocations: [{ id: 7, kind: "session", sid: "s-7", exp: EXP }] },
    },
  },
  {
    name: "snapshot with unknown members, at the top and in entries, ignored",
    event: snapshot(
      "12",
      `{"version":2,"revocations":[{"id":12,"kind":"session","sid":"s-12","exp":${EXP},"reason":"logout","user":"u-1"}],"now":${NOW * 1000},"instance":"a"}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: { lastEventId: 12, revocations: [{ id: 12, kind: "session", sid: "s-12", exp: EXP }] },
    },
  },
  {
    name: "snapshot id and entry id at 2^53 - 1",
    event: snapshot(
      String(MAX_SAFE),
      `{"revocations":[{"id":${MAX_SAFE},"kind":"session","sid":"s-max","exp":${EXP}}]}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: { lastEventId: MAX_SAFE, revocations: [{ id: MAX_SAFE, kind: "session", sid: "s-max", exp: EXP }] },
    },
  },
  {
    name: "snapshot with identifiers of 1 and 256 characters",
    event: snapshot(
      "21",
      `{"revocations":[{"id":20,"kind":"session","sid":"s","exp":${EXP}},{"id":21,"kind":"user_before","sub":"${LONG_ID}","before":${NOW},"exp":${EXP}}]}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: {
        lastEventId: 21,
        revocations: [
          { id: 20, kind: "session", sid: "s", exp: EXP },
          { id: 21, kind: "user_before", sub: LONG_ID, before: NOW, exp: EXP },
        ],
      },
    },
  },
  {
    name: "snapshot holding entries already past exp (well-formed; a verifier may drop them at once)",
    event: snapshot(
      "31",
      `{"revocations":[{"id":30,"kind":"session","sid":"s-old","exp":0},{"id":31,"kind":"user_before","sub":"u-old","before":0,"exp":0}]}`,
    ),
    expected: {
      type: "snapshot",
      snapshot: {
        lastEventId: 31,
        revocations: [
          { id: 30, kind: "session", sid: "s-old", exp: 0 },
          { id: 31, kind: "user_before", sub: "u-old", before: 0, exp: 0 },
        ],
      },
    },
  },
  {
    name: "session revocation",
    event: revocation("43", `{"id":43,"kind":"session","sid":"s-43","exp":${EXP}}`),
    expected: { type: "revocation", entry: { id: 43, kind: "session", sid: "s-43", exp: EXP } },
  },
  {
    name: "user cut-off",
    event: revocation("44", `{"id":44,"kind":"user_before","sub":"u-44","before":${NOW - 1},"exp":${EXP - 1}}`),
    expected: {
      type: "revocation",
      entry: { id: 44, kind: "user_before", sub: "u-44", before: NOW - 1, exp: EXP - 1 },
    },
  },
  {
    name: "revocation with unknown members, ignored",
    event: revocation("45", `{"id":45,"kind":"session","sid":"s-45","exp":${EXP},"reason":"logout","user":"u-1"}`),
    expected: { type: "revocation", entry: { id: 45, kind: "session", sid: "s-45", exp: EXP } },
  },
  {
    name: "members in another order, with JSON whitespace",
    event: revocation("46", `{ "exp" : ${EXP} ,\t"sid" : "s-46" , "kind" : "session" , "id" : 46 }`),
    expected: { type: "revocation", entry: { id: 46, kind: "session", sid: "s-46", exp: EXP } },
  },
  {
    name: "identifier with JSON escapes and non-ASCII characters",
    event: revocation("47", `{"id":47,"kind":"session","sid":"s-\\u00e9\\"q\\"\\\\/€","exp":${EXP}}`),
    expected: { type: "revocation", entry: { id: 47, kind: "session", sid: 's-é"q"\\/€', exp: EXP } },
  },
  {
    name: "revocation id at 2^53 - 1",
    event: revocation(String(MAX_SAFE), `{"id":${MAX_SAFE},"kind":"session","sid":"s-max","exp":${EXP}}`),
    expected: { type: "revocation", entry: { id: MAX_SAFE, kind: "session", sid: "s-max", exp: EXP } },
  },
  {
    name: "exp at 2^53 - 1",
    event: revocation("48", `{"id":48,"kind":"session","sid":"s-48","exp":${MAX_SAFE}}`),
    expected: { type: "revocation", entry: { id: 48, kind: "session", sid: "s-48", exp: MAX_SAFE } },
  },
  {
    name: "cut-off already past exp, before 0 (well-formed; may be dropped at once)",
    event: revocation("49", `{"id":49,"kind":"user_before","sub":"u-49","before":0,"exp":0}`),
    expected: { type: "revocation", entry: { id: 49, kind: "user_before", sub: "u-49", before: 0, exp: 0 } },
  },
  {
    name: "heartbeat",
    event: { type: "heartbeat", data: `{"now":${NOW * 1000}}`, lastEventId: "" },
    expected: { type: "heartbeat" },
  },
  {
    name: "heartbeat whose data is not examined",
    event: { type: "heartbeat", data: "ping", lastEventId: "" },
    expected: { type: "heartbeat" },
  },
  {
    name: "an event type this version does not define, ignored",
    event: { type: "key_rotation", data: `{"kid":"k1"}`, lastEventId: "" },
    expected: { type: "other" },
  },
  {
    name: "an event without an `event:` field (type message), ignored",
    event: { type: "message", data: "hello", lastEventId: "" },
    expected: { type: "other" },
  },
];

/** A revocation event whose data is this entry, with the event id of `id`. */
function entryCase(name: string, member: string, id = "50"): RefusedEventCase {
  return { name: `revocation: ${name}`, event: revocation(id, `{${member}}`) };
}

const SESSION = `"kind":"session","sid":"s-50","exp":${EXP}`;

export const REFUSED_EVENTS: readonly RefusedEventCase[] = [
  entryCase("unknown kind", `"id":50,"kind":"device","sid":"s-50","exp":${EXP}`),
  entryCase("kind in another case", `"id":50,"kind":"Session","sid":"s-50","exp":${EXP}`),
  entryCase("kind missing", `"id":50,"sid":"s-50","exp":${EXP}`),
  entryCase("kind not a string", `"id":50,"kind":1,"sid":"s-50","exp":${EXP}`),
  entryCase("session without sid", `"id":50,"kind":"session","exp":${EXP}`),
  entryCase("empty sid", `"id":50,"kind":"session","sid":"","exp":${EXP}`),
  entryCase("sid not a string", `"id":50,"kind":"session","sid":50,"exp":${EXP}`),
  entryCase("sid of 257 characters", `"id":50,"kind":"session","sid":"${"s".repeat(257)}","exp":${EXP}`),
  entryCase("user_before without sub", `"id":50,"kind":"user_before","before":${NOW},"exp":${EXP}`),
  entryCase(
    "user_before with a session's sid instead of sub",
    `"id":50,"kind":"user_before","sid":"s-50","before":${NOW},"exp":${EXP}`,
  ),
  entryCase(
    "sub of 257 characters",
    `"id":50,"kind":"user_before","sub":"${"u".repeat(257)}","before":${NOW},"exp":${EXP}`,
  ),
  entryCase("user_before without before", `"id":50,"kind":"user_before","sub":"u-50","exp":${EXP}`),
  entryCase("before negative", `"id":50,"kind":"user_before","sub":"u-50","before":-1,"exp":${EXP}`),
  entryCase("before a string", `"id":50,"kind":"user_before","sub":"u-50","before":"${NOW}","exp":${EXP}`),
  entryCase("before with a fraction", `"id":50,"kind":"user_before","sub":"u-50","before":${NOW}.5,"exp":${EXP}`),
  entryCase("exp missing", `"id":50,"kind":"session","sid":"s-50"`),
  entryCase("exp a string", `"id":50,"kind":"session","sid":"s-50","exp":"${EXP}"`),
  entryCase("exp null", `"id":50,"kind":"session","sid":"s-50","exp":null`),
  entryCase("exp negative", `"id":50,"kind":"session","sid":"s-50","exp":-1`),
  entryCase("exp with a fraction", `"id":50,"kind":"session","sid":"s-50","exp":${EXP}.25`),
  entryCase("exp beyond 2^53 - 1", `"id":50,"kind":"session","sid":"s-50","exp":9007199254740992`),
  entryCase("id missing", SESSION),
  entryCase("id negative", `"id":-1,${SESSION}`, "-1"),
  entryCase("id with a fraction", `"id":50.5,${SESSION}`, "50.5"),
  entryCase("id a string", `"id":"50",${SESSION}`),
  entryCase("id beyond 2^53 - 1", `"id":9007199254740992,${SESSION}`, "9007199254740992"),
  entryCase("the event id is not the entry's", `"id":50,${SESSION}`, "51"),
  entryCase("no event id", `"id":50,${SESSION}`, ""),
  { name: "revocation: data is not JSON", event: revocation("50", "{not json") },
  { name: "revocation: data cut short", event: revocation("50", `{"id":50,"kind":"session"`) },
  { name: "revocation: two JSON values", event: revocation("50", `{"id":50,${SESSION}}{"id":51}`) },
  { name: "revocation: empty data", event: revocation("50", "") },
  { name: "revocation: data is null", event: revocation("50", "null") },
  { name: "revocation: data is an array", event: revocation("50", `[{"id":50,${SESSION}}]`) },
  { name: "revocation: data is a string", event: revocation("50", `"s-50"`) },
  { name: "snapshot: no revocations member", event: snapshot("5", `{"now":${NOW * 1000}}`) },
  { name: "snapshot: revocations is an object", event: snapshot("5", `{"revocations":{}}`) },
  { name: "snapshot: revocations is null", event: snapshot("5", `{"revocations":null}`) },
  {
    name: "snapshot: one malformed entry among good ones",
    event: snapshot(
      "5",
      `{"revocations":[{"id":4,"kind":"session","sid":"s-4","exp":${EXP}},{"id":5,"kind":"session","sid":"","exp":${EXP}}]}`,
    ),
  },
  {
    name: "snapshot: an entry newer than the snapshot's id",
    event: snapshot("5", `{"revocations":[{"id":6,"kind":"session","sid":"s-6","exp":${EXP}}]}`),
  },
  { name: "snapshot: no event id", event: snapshot("", `{"revocations":[]}`) },
  { name: "snapshot: event id negative", event: snapshot("-1", `{"revocations":[]}`) },
  { name: "snapshot: event id with a fraction", event: snapshot("5.5", `{"revocations":[]}`) },
  { name: "snapshot: event id with an exponent", event: snapshot("1e3", `{"revocations":[]}`) },
  { name: "snapshot: event id in hexadecimal", event: snapshot("0x10", `{"revocations":[]}`) },
  { name: "snapshot: event id with a leading space", event: snapshot(" 5", `{"revocations":[]}`) },
  { name: "snapshot: event id not a number", event: snapshot("abc", `{"revocations":[]}`) },
  { name: "snapshot: event id beyond 2^53 - 1", event: snapshot("9007199254740992", `{"revocations":[]}`) },
  { name: "snapshot: data is not JSON", event: snapshot("5", `{"revocations":[`) },
  { name: "snapshot: empty data", event: snapshot("5", "") },
  { name: "snapshot: data is null", event: snapshot("5", "null") },
  { name: "snapshot: data is an array", event: snapshot("5", "[]") },
];

/**
 * The event as `text/event-stream` (WHATWG HTML §9.2.5): every field written out, the id too
 * (even empty, which resets the last event ID buffer), so that any conforming parser dispatches
 * exactly `event` again.
 */
export function toEventStream(event: ServerSentEvent): string {
  const data = event.data
    .split("\n")
    .map((line) => `data: ${line}\n`)
    .join("");
  return `event: ${event.type}\nid: ${event.lastEventId}\n${data}\n`;
}
