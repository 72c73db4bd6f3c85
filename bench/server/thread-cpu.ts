// CPU time of the server's threads, from Linux's /proc: the main thread (the event loop, and
// PGlite, which runs on it) apart from all the others (the hash worker threads, where argon2
// runs, libuv's pool, and V8's GC and compiler threads). Per login, these say where a login's
// cost goes beyond the hash itself. Elsewhere than Linux the figures are simply absent.

import { readdirSync, readFileSync } from "node:fs";

export interface ThreadCpu {
  /** CPU ms (user + system) of the main thread. */
  readonly mainMs: number;
  /** CPU ms of every other thread of the process. */
  readonly otherMs: number;
}

/** USER_HZ: /proc reports CPU times in clock ticks, 100 per second on every Linux we run on. */
const TICK_MS = 10;

function threadCpuMs(pid: number, tid: string): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; fields are counted after its closing ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of proc(5), i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The process's thread CPU so far, or null when /proc is not there (not Linux) or the process is gone. */
export function readThreadCpu(pid: number): ThreadCpu | null {
  if (process.platform !== "linux" || pid <= 0) return null;
  try {
    let mainMs = 0;
    let otherMs = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let ms: number;
      try {
        ms = threadCpuMs(pid, tid);
      } catch {
        continue; // the thread ended between listing and reading
      }
      if (tid === String(pid)) mainMs += ms;
      else otherMs += ms;
    }
    return { mainMs, otherMs };
  } catch {
    return null;
  }
}

/** CPU used between two readings; null if either is missing. */
export function cpuBetween(before: ThreadCpu | null, after: ThreadCpu | null): ThreadCpu | null {
  if (before === null || after === null) return null;
  return { mainMs: after.mainMs - before.mainMs, otherMs: after.otherMs - before.otherMs };
}
