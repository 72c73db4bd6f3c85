// The memory of a revocation mirror holding N revoked sessions, in a fresh process run with
// --expose-gc: heap used after full collections, before and after the mirror's entries. The
// entries arrive as a feed snapshot does (JSON text parsed into objects, then applied), so the
// session-id strings are the heap objects a real verifier keeps.

import { randomBytes } from "node:crypto";
import { createRevocationMirror, type RevocationEntry } from "@sigil/verifier";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.send === undefined) throw new Error("run by bench/verifier with --expose-gc and IPC");

function settledHeap(): number {
  // Several passes: weak references and finalizers can free more on a second pass.
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

const entries = Number(process.env.BENCH_MEMORY_ENTRIES ?? "100000");

/** A snapshot's wire text, as the feed delivers it. */
function snapshotText(): string {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return JSON.stringify(
    Array.from({ length: entries }, (_, i) => ({
      id: i + 1,
      kind: "session",
      sid: randomBytes(16).toString("base64url"), // a Sigil session id (server auth/ids.ts)
      exp: exp + (i % 900),
    })),
  );
}

const mirror = createRevocationMirror({ sweepIntervalMs: 0 });

/**
 * Applies a snapshot in its own frame: temporaries of a frame still running (the module's top
 * level) stay GC roots, so the parsed array would otherwise be counted as the mirror's.
 */
function applySnapshot(): number {
  const wire = snapshotText();
  mirror.replace(JSON.parse(wire) as RevocationEntry[]);
  return wire.length;
}

const before = settledHeap();
// Measured once the text and the parsed objects are garbage: what remains is what the mirror
// retains, including anything it would keep alive by reference (e.g. substrings of the text).
const wireBytes = applySnapshot();
const after = settledHeap();
if (mirror.revokedSessions !== entries) throw new Error(`the mirror holds ${mirror.revokedSessions} sessions`);
process.send({ type: "measured", entries, heapBytes: after - before, wireBytes });
mirror.close();
process.disconnect();
