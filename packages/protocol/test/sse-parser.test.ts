import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSSEParser, type ServerSentEvent } from "../src/index.js";

function parse(
  chunks: (string | Uint8Array)[],
  options: { end?: boolean } = {},
): { events: ServerSentEvent[]; retries: number[] } {
  const events: ServerSentEvent[] = [];
  const retries: number[] = [];
  const parser = createSSEParser({ onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms) });
  for (const chunk of chunks) parser.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  if (options.end !== false) parser.end();
  return { events, retries };
}

describe("SSE parser (WHATWG HTML §9.2.6)", () => {
  test("an event not terminated by a blank line is discarded at end of stream", () => {
    assert.deepEqual(parse(["data: half"]).events, []);
    assert.deepEqual(parse(["data: half\n"]).events, []);
  });

  test("comments and unknown fields are ignored; a blank line without data dispatches nothing", () => {
    const { events } = parse([": keep-alive\n\nfoo: bar\nevent: x\n\n:another\ndata: ok\n\n"]);
    assert.deepEqual(events, [{ type: "message", data: "ok", lastEventId: "" }]);
  });

  test("fields: event, id, multi-line data, one leading space stripped, no colon", () => {
    const { events } = parse(['event: revocation\nid: 7\ndata: {"a":\ndata:  1}\ndata\n\n']);
    assert.deepEqual(events, [{ type: "revocation", data: '{"a":\n 1}\n', lastEventId: "7" }]);
  });

  test("the last event id persists across events and an id with NUL is ignored", () => {
    const { events } = parse(["id: 3\ndata: a\n\ndata: b\n\nid: 4\u0000\ndata: c\n\nid\ndata: d\n\n"]);
    assert.deepEqual(
      events.map((e) => e.lastEventId),
      ["3", "3", "3", ""],
    );
  });

  test("CRLF, CR and LF line endings, also mixed", () => {
    const { events } = parse(["event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n"]);
    assert.deepEqual(
      events.map((e) => [e.type, e.data]),
      [
        ["a", "1"],
        ["b", "2"],
        ["message", "3"],
      ],
    );
  });

  test("a CRLF split across chunks is one line break, not two", () => {
    const { events } = parse(["data: x\r", "\ndata: y\r", "\n\r", "\n"]);
    assert.deepEqual(events, [{ type: "message", data: "x\ny", lastEventId: "" }]);
  });

  test("chunk boundaries anywhere, byte by byte, including inside a UTF-8 sequence", () => {
    const text = 'event: snapshot\r\nid: 42\r\ndata: {"sid":"é€😀"}\r\n\r\n';
    const bytes = Buffer.from(text);
    const single = parse([bytes]).events;
    const split = parse([...bytes].map((b) => Uint8Array.of(b))).events;
    assert.deepEqual(split, single);
    assert.deepEqual(single, [{ type: "snapshot", data: '{"sid":"é€😀"}', lastEventId: "42" }]);
  });

  test("a leading BOM is skipped once", () => {
    const { events } = parse([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf), "data: a\n\n"]);
    assert.deepEqual(events, [{ type: "message", data: "a", lastEventId: "" }]);
  });

  test("retry: only ASCII digits are accepted", () => {
    assert.deepEqual(parse(["retry: 1000\nretry: 12a\nretry: -5\nretry:250\n\n"]).retries, [1000, 250]);
  });

  // How fast (linear, not quadratic, in the line's length) is measured by bench:verifier's
  // snapshot-parse target; this checks what a line cut into many chunks parses to.
  test("a large data line in many chunks is parsed whole", () => {
    const payload = "x".repeat(4 * 1024 * 1024);
    const chunks = ["event: snapshot\ndata: "];
    for (let i = 0; i < payload.length; i += 16 * 1024) chunks.push(payload.slice(i, i + 16 * 1024));
    chunks.push("\n\n");
    const { events } = parse(chunks);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, "snapshot");
    assert.equal(events[0]?.data, payload);
  });

  test("an event larger than maxEventLength throws RangeError", () => {
    const parser = createSSEParser({ onEvent() {}, maxEventLength: 100 });
    assert.throws(() => parser.push(Buffer.from(`data: ${"y".repeat(200)}\n`)), RangeError);
    const partial = createSSEParser({ onEvent() {}, maxEventLength: 100 });
    assert.throws(() => partial.push(Buffer.from(`data: ${"y".repeat(200)}`)), RangeError);
  });
});
