import { parseRevocationEntry, type RevocationEntry } from "./revocation-entry.js";

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

/** A heartbeat: proof of life carrying the server's clock (ms), by which a verifier measures staleness. */
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

/** Reads a `snapshot` event (its data and the event's id); throws TypeError when it is malformed. */
export function parseSnapshot(data: string, lastEventId: string): FeedSnapshot {
  const body = JSON.parse(data) as { revocations?: unknown };
  const id = Number(lastEventId);
  if (!Array.isArray(body.revocations) || lastEventId === "" || !Number.isSafeInteger(id) || id < 0) {
    throw new TypeError("malformed snapshot");
  }
  const revocations: RevocationEntry[] = [];
  for (const value of body.revocations) {
    const entry = parseRevocationEntry(value);
    if (entry === undefined) throw new TypeError("malformed entry in snapshot");
    revocations.push(entry);
  }
  return { lastEventId: id, revocations };
}

/** Reads a `revocation` event's data; throws TypeError when it is malformed. */
export function parseRevocationEvent(data: string): RevocationEntry {
  const entry = parseRevocationEntry(JSON.parse(data));
  if (entry === undefined) throw new TypeError("malformed revocation event");
  return entry;
}
