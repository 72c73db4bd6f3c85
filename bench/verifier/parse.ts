// How long the verifier's feed client takes to parse a large snapshot: one `data:` line of
// `bytes` characters arriving in `chunkBytes` pieces, as a multi-megabyte snapshot arrives over
// a socket. The parser must stay linear in the line's length however it is cut (a parser that
// re-scanned or re-copied the line per chunk would be quadratic): the protocol test checks what
// it parses, this measures how fast.

import { createSSEParser } from "@sigil/protocol";
import { median } from "../lib/stats.js";

export interface ParseSettings {
  readonly bytes: number;
  readonly chunkBytes: number;
  readonly rounds: number;
}

export interface ParseResult extends ParseSettings {
  /** Per round, in ms. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
}

export function measureSnapshotParse(settings: ParseSettings): ParseResult {
  const payload = "x".repeat(settings.bytes);
  const encoder = new TextEncoder();
  const chunks = [encoder.encode("event: snapshot\ndata: ")];
  for (let i = 0; i < payload.length; i += settings.chunkBytes) {
    chunks.push(encoder.encode(payload.slice(i, i + settings.chunkBytes)));
  }
  chunks.push(encoder.encode("\n\n"));
  const samplesMs: number[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    let parsed = 0;
    const parser = createSSEParser({
      onEvent(event) {
        parsed = event.data.length;
      },
    });
    const started = performance.now();
    for (const chunk of chunks) parser.push(chunk);
    samplesMs.push(performance.now() - started);
    if (parsed !== settings.bytes) throw new Error(`parsed ${parsed} characters of ${settings.bytes}`);
  }
  return { ...settings, samplesMs, medianMs: median(samplesMs) };
}
