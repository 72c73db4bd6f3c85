/** One dispatched Server-Sent Event. */
export interface ServerSentEvent {
  /** The `event:` field, or "message" (WHATWG HTML §9.2.6). */
  readonly type: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
  /** The last event ID buffer at dispatch time ("" if none was ever set). */
  readonly lastEventId: string;
}

export interface SSEParserOptions {
  onEvent: (event: ServerSentEvent) => void;
  /** A `retry:` field with a valid value, in milliseconds. */
  onRetry?: (ms: number) => void;
  /** Refuse events larger than this many characters (default 64 Mi), so a hostile stream cannot exhaust memory. */
  maxEventLength?: number;
}

export interface SSEParser {
  /** Feeds bytes as they arrive; chunk boundaries may fall anywhere, even inside a UTF-8 sequence or a CRLF. */
  push(chunk: Uint8Array): void;
  /** End of stream: an event not terminated by a blank line is discarded (WHATWG HTML §9.2.6). */
  end(): void;
}

const LF = 10;
const CR = 13;

/**
 * A streaming parser of `text/event-stream` (WHATWG HTML §9.2.6, "Interpreting an event
 * stream"): lines end in CRLF, LF or CR; a leading BOM is skipped; `:` starts a comment; a blank
 * line dispatches the event. Throws RangeError when an event exceeds `maxEventLength`.
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
  const maxLength = options.maxEventLength ?? 64 * 1024 * 1024;
  const decoder = new TextDecoder("utf-8"); // replaces invalid sequences with U+FFFD, as the spec requires
  let pending: string[] = []; // pieces of a line split across chunks, joined once
  let pendingLength = 0;
  let afterCR = false; // the previous chunk ended in CR: a leading LF belongs to that line break
  let firstChunk = true;
  let eventType = "";
  let data: string[] = [];
  let eventLength = 0;
  let lastEventId = "";

  function processLine(line: string): void {
    if (line === "") {
      if (data.length > 0) {
        const event = { type: eventType || "message", data: data.join("\n"), lastEventId };
        eventType = "";
        data = [];
        eventLength = 0;
        options.onEvent(event);
      } else {
        eventType = "";
      }
      return;
    }
    if (line.charCodeAt(0) === 58 /* ":" */) return; // a comment
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* " " */) value = value.slice(1);
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        eventLength += value.length + 1;
        if (eventLength > maxLength) throw new RangeError(`event larger than ${maxLength} characters`);
        data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) options.onRetry?.(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  function processText(text: string): void {
    let start = 0;
    const length = text.length;
    if (afterCR && length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      afterCR = false;
    }
    // One pass over the characters: a multi-megabyte snapshot line costs O(n), not O(n * lines).
    for (let i = start; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      let line = text.slice(start, i);
      if (pending.length > 0) {
        pending.push(line);
        line = pending.join("");
        pending = [];
        pendingLength = 0;
      }
      if (code === CR) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          afterCR = true;
        }
      }
      start = i + 1;
      processLine(line);
    }
    if (start < length) {
      pendingLength += length - start;
      if (pendingLength > maxLength) throw new RangeError(`line longer than ${maxLength} characters`);
      pending.push(text.slice(start));
    }
  }

  return {
    push(chunk) {
      let text = decoder.decode(chunk, { stream: true });
      if (firstChunk && text.length > 0) {
        firstChunk = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      processText(text);
    },
    end() {
      processText(decoder.decode());
      pending = [];
      pendingLength = 0;
      data = [];
      eventType = "";
    },
  };
}
