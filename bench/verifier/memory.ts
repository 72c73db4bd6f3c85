// Runs memory-main.ts in its own process (a clean heap, --expose-gc) and reads its measurement.

import { join } from "node:path";
import { forkChild } from "./children.js";

export interface MemoryResult {
  readonly entries: number;
  readonly heapBytes: number;
  readonly bytesPerEntry: number;
}

export async function measureMirrorMemory(entries: number): Promise<MemoryResult> {
  const child = forkChild(join(import.meta.dirname, "memory-main.ts"), {
    env: { BENCH_MEMORY_ENTRIES: String(entries) },
    nodeFlags: ["--expose-gc"],
  });
  try {
    const measured = await child.next<{ type: string; entries: number; heapBytes: number }>("measured", 60_000);
    return {
      entries: measured.entries,
      heapBytes: measured.heapBytes,
      bytesPerEntry: measured.heapBytes / measured.entries,
    };
  } finally {
    await child.stop();
  }
}
