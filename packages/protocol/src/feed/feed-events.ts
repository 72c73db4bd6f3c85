import { parseRevocationEntry, type RevocationEntry } from "./revocation-entry.js";
import type { ServerSentEvent } from "./sse-parser.js";

/** The event types of the feed (docs/revocation-feed.md, "Events"). */
export const FEED_EVENTS = Object.freeze({
  snapshot: "snapshot",
  revocation: "revocation",
  heartbeat: "heartbeat",
} as const);

/** The reconnection delay a server announces unless configured otherwise, in ms. */
export const DEFAULT_FEED_RETRY_MS = 1000;

/**
 * One Server-Sent Event (WHATWG HTML §9.2.6). Every feed payload is JSON, which never holds a raw
 * line break, so one `data:` line per event suffices; ids are integers.
 */
export function formatFeedEvent(event: string, id: number | undefined, data: string): string {
  return id === undefined ? `event: ${event}\ndata: ${data}\n\n` : `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}

/** §9.2.6 `retry:` — the reconnection delay the client should use, in ms. */
export function formatRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/**
 * A heartbeat: proof of life. It carries the server's clock (ms) for diagnostics only: a verifier
 * measures staleness on its own clock, from when it received an event, so a skewed server clock
 * cannot make a stale mirror look fresh.
 */
export function heartbeatEvent(nowMs: number): string {
  return formatFeedEvent(FEED_EVENTS.heartbeat, undefined, `{"now":${nowMs}}`);
}

/** A snapshot: every revocation in force (`entriesArray`, a JSON array of serialized entries) up to `lastEventId`. */
export function snapshotEvent(lastEventId: number, entriesArray: string, nowMs: number): string {
  return formatFeedEvent(FEED_EVENTS.snapshot, lastEventId, `{"revocations":${entriesArray},"now":${nowMs}}`);
}

/** One revocation, already serialized (serializeRevocationEntry): sent once, to every subscriber. */
export function revocationEvent(id: number, entryJSON: string): string {
  return formatFeedEvent(FEED_EVENTS.revocation, id, entryJSON);
}

/** A snapshot as a verifier applies it. */
export interface FeedSnapshot {
  readonly lastEventId: number;
  readonly revocations: readonly RevocationEntry[];
}

/** A feed event as a verifier applies it (docs/revocation-feed.md, "Events"). */
export type FeedEvent =
  | { readonly type: "snapshot"; readonly snapshot: FeedSnapshot }
  | { readonly type: "revocation"; readonly entry: RevocationEntry }
  | { readonly type: "heartbeat" }
  /** An event type this version does not define: ignored (a later server may add some), still proof of life. */
  | { readonly type: "other" };

const HEARTBEAT: FeedEvent = Object.freeze({ type: "heartbeat" });
const OTHER: FeedEvent = Object.freeze({ type: "other" });

/**
 * Reads one dispatched event of the feed; throws TypeError when a snapshot or a revocation is
 * malformed (the verifier then drops the connection and applies nothing of it). A heartbeat's
 * data is not examined: it only proves the stream alive.
 *
 * @example
 * const parser = createSSEParser({ onEvent: (event) => apply(readFeedEvent(event)) });
 */
export function readFeedEvent(event: ServerSentEvent): FeedEvent {
  switch (event.type) {
    case FEED_EVENTS.snapshot:
      return { type: "snapshot", snapshot: parseSnapshot(event.data, event.lastEventId) };
    case FEED_EVENTS.revocation:
      return { type: "revocation", entry: parseRevocationEvent(event.data, event.lastEventId) };
    case FEED_EVENTS.heartbeat:
      return HEARTBEAT;
    default:
      return OTHER;
  }
}

// ASCII digits only: Number() would also read " 7", "0x10", "1e3" and "7.0".
const EVENT_ID = /^[0-9]{1,16}$/;

/** An event id (the SSE `id:` field): decimal digits naming a safe integer; undefined for anything else. */
export function parseEventId(value: string): number | undefined {
  if (!EVENT_ID.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

function parseJSON(data: string, what: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new TypeError(`${what}: data is not JSON`);
  }
}

/**
 * Reads a `snapshot` event (its data and the event's id); throws TypeError when it is malformed:
 * an id that is not a decimal integer, no `revocations` array, a malformed entry, or an entry
 * newer than the snapshot's id (which says the snapshot holds everything up to it).
 */
export function parseSnapshot(data: string, lastEventId: string): FeedSnapshot {
  const id = parseEventId(lastEventId);
  if (id === undefined) throw new TypeError("snapshot: the event id is not a decimal integer");
  const body = parseJSON(data, "snapshot");
  const list = typeof body === "object" && body !== null ? (body as { revocations?: unknown }).revocations : undefined;
  if (!Array.isArray(list)) throw new TypeError("snapshot: no revocations array");
  const revocations: RevocationEntry[] = [];
  for (const value of list) {
    const entry = parseRevocationEntry(value);
    if (entry === undefined) throw new TypeError("snapshot: malformed entry");
    if (entry.id > id) throw new TypeError("snapshot: an entry is newer than the snapshot's id");
    revocations.push(entry);
  }
  return { lastEventId: id, revocations };
}

/**
 * Reads a `revocation` event (its data and the event's id); throws TypeError when the entry is
 * malformed or its `id` is not the event's: the event id is what a reconnecting client sends as
 * Last-Event-ID (WHATWG HTML §9.2.4), so the two must name the same revocation.
 */
export function parseRevocationEvent(data: string, lastEventId: string): RevocationEntry {
  const entry = parseRevocationEntry(parseJSON(data, "revocation"));
  if (entry === undefined) throw new TypeError("revocation: malformed entry");
  if (parseEventId(lastEventId) !== entry.id) throw new TypeError("revocation: the event id is not the entry's id");
  return entry;
}
