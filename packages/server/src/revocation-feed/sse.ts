/**
 * Server-Sent Events framing (WHATWG HTML §9.2.6). Every payload here is JSON, which never
 * contains a raw line break, so one `data:` line per event suffices; ids are integers.
 */
export function formatEvent(event: string, id: number | undefined, data: string): string {
  return id === undefined ? `event: ${event}\ndata: ${data}\n\n` : `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}

/** §9.2.6 `retry:` — the reconnection delay the client should use, in ms. */
export function formatRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

export function heartbeatEvent(nowMs: number): string {
  return formatEvent("heartbeat", undefined, `{"now":${nowMs}}`);
}

export function snapshotEvent(lastEventId: number, entriesArray: string, nowMs: number): string {
  return formatEvent("snapshot", lastEventId, `{"revocations":${entriesArray},"now":${nowMs}}`);
}
