import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DataDirError } from "./data-dir-error.js";

/** Held while a sigil process uses a PGlite data directory; see {@link lockDataDir}. */
export interface DataDirLock {
  /** Removes the lock file if it is still ours. Idempotent and synchronous (safe in an 'exit' handler). */
  release(): void;
}

const LOCK_FILE = "sigil.lock";

/** Lock files taken by this process: a file naming our own pid that is not in here is stale. */
const heldHere = new Set<string>();

/**
 * Claims a PGlite data directory for this process. PGlite is PostgreSQL running inside one
 * process, with no postmaster to refuse a second one: two processes opening the same directory
 * both succeed and then overwrite each other's pages. So openPGlite — whoever calls it: `sigil
 * serve`, an admin command, a program embedding the server — first creates `<dataDir>/sigil.lock`
 * (exclusively, holding its pid and purpose) and refuses while a live process holds it. A lock left by a killed process is taken over:
 * its pid is gone — or, in a container where every start is pid 1, is our own pid without our
 * having taken it.
 *
 * @example
 * const lock = await lockDataDir(config.dataDir, { purpose: "sigil keys rotate" });
 * try { … } finally { lock.release(); }
 */
export async function lockDataDir(dataDir: string, options: { purpose: string }): Promise<DataDirLock> {
  await prepareDataDir(dataDir);
  const path = resolve(join(dataDir, LOCK_FILE));
  for (let attempt = 0; attempt < 2; attempt++) {
    const fd = tryCreate(path);
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid}\n${options.purpose}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(path);
      return { release: () => releaseLock(path) };
    }
    const holder = readHolder(path);
    if (holder !== undefined && isAlive(holder.pid) && !(holder.pid === process.pid && !heldHere.has(path))) {
      throw new DataDirError(
        "DATA_DIR_IN_USE",
        `the data directory ${dataDir} is in use by ${holder.purpose} (pid ${holder.pid}): PGlite lets one process open it at a time`,
        `stop that process first, or run the server and this command against PostgreSQL with DATABASE_URL; if no sigil process is running, delete ${path}`,
      );
    }
    // Stale: the process that wrote it is gone. Remove it and try once more (another process
    // racing us for the same stale file wins the exclusive create; we then see it alive).
    unlinkQuietly(path);
  }
  throw new DataDirError("DATA_DIR_UNUSABLE", `cannot lock the data directory ${dataDir}: ${path} keeps reappearing`);
}

/** Creates the directory (PGlite would, but its errors are numeric WASI codes) and checks it is one. */
async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ENOTDIR" || code === "EEXIST"
          ? "it, or a folder on its path, is a file"
          : (code ?? "unusable");
    throw new DataDirError(
      "DATA_DIR_UNUSABLE",
      `cannot use the data directory ${dataDir} (SIGIL_DATA_DIR): ${reason}`,
      "set SIGIL_DATA_DIR to a writable directory, or DATABASE_URL to use PostgreSQL",
    );
  }
}

function tryCreate(path: string): number | undefined {
  try {
    return openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw new DataDirError(
      "DATA_DIR_UNUSABLE",
      `cannot create ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      "set SIGIL_DATA_DIR to a writable directory",
    );
  }
}

function readHolder(path: string): { pid: number; purpose: string } | undefined {
  try {
    const [pid, purpose] = readFileSync(path, "utf8").split("\n");
    const parsed = Number(pid);
    if (!Number.isSafeInteger(parsed) || parsed <= 0) return undefined;
    return { pid: parsed, purpose: purpose?.trim() || "another sigil process" };
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists as another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function releaseLock(path: string): void {
  if (!heldHere.delete(path)) return;
  if (readHolder(path)?.pid === process.pid) unlinkQuietly(path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
