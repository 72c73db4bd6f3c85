import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after } from "node:test";
import { seedPGliteDataDir } from "@sigil/server/testing";
import { main } from "../src/main.js";

/** What one in-process `sigil` invocation printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Piped stdin; absent means an empty, non-interactive stdin. */
  readonly stdin?: string;
  /** Pretend stdin is an interactive terminal. */
  readonly stdinTTY?: boolean;
  readonly env?: Record<string, string>;
  /** Frozen clock, milliseconds. */
  readonly now?: number;
  /** Pretend stdout and stderr are terminals (for colour). */
  readonly tty?: boolean;
}

/** Runs `main(argv)` with captured output: no process is spawned. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
    isTTY: options.stdinTTY === true,
  });
  const code = await main(argv, {
    stdin,
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty === true },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty === true },
    env: options.env ?? {},
    ...(options.now === undefined ? {} : { now: () => options.now as number }),
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory, removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sigil-cli-"));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A fresh PGlite data directory as a first start leaves it (migrated, no keys yet), removed when
 * the test file ends: commands open it without running initdb. Tests of a first start use
 * {@link tempDir} instead.
 */
export async function pgliteDataDir(): Promise<string> {
  const dir = await tempDir();
  await seedPGliteDataDir(dir);
  return dir;
}

/** Writes a file in a directory and returns its path. */
export async function writeIn(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Asserts the shape every bad-input error must have: one `sigil: error:` line, no stack trace. */
export function isOneLineError(result: RunResult): boolean {
  const lines = result.stderr.split("\n").filter((l) => l !== "");
  return (
    result.code !== 0 &&
    lines.length === 1 &&
    (lines[0] ?? "").startsWith("sigil: error: ") &&
    !/\n\s+at /.test(result.stderr) &&
    result.stdout === ""
  );
}

/** The jwt.io example token: HS256 with "your-256-bit-secret", no exp. */
export const JWT_IO_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/** An unsigned token with arbitrary header and payload, for decode (which never checks signatures). */
export function unsignedToken(header: object, payload: object, signature = "c2ln"): string {
  const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part(header)}.${part(payload)}.${signature}`;
}
