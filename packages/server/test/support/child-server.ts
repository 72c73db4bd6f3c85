import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";

export interface ChildServer {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** The last 4,000 characters the process wrote to stderr, for assertion messages. */
  stderr(): string;
  /** Resolves once the process has written `count` stdout lines equal to `line`. */
  printed(line: string, count: number): Promise<void>;
}

/**
 * Runs `sigil serve` (test/support/serve-main.ts) in its own process, so tests can send it real
 * signals; resolves once its summary line names the address.
 */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ["--conditions=sigil-source", "--import", "tsx", join(import.meta.dirname, "serve-main.ts")],
    {
      env: {
        ...process.env,
        SIGIL_ENV: "development",
        SIGIL_ISSUER: "http://127.0.0.1:3000",
        SIGIL_PORT: "0",
        SIGIL_LOG_LEVEL: "warn",
        DATABASE_URL: "",
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stdout = "";
  let stderr = "";
  const lineWaiters = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const check of [...lineWaiters]) check();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no summary line within 120 s: ${stderr}`)), 120_000);
    child.stdout.on("data", () => {
      const match = /sigil listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr}`));
    });
  }).catch((error: unknown) => {
    // A server that never listened is nobody's to stop: do not leave it running.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    throw error;
  });
  const printed = (line: string, count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (stdout.split("\n").filter((printedLine) => printedLine === line).length < count) return;
        lineWaiters.delete(check);
        resolve();
      };
      lineWaiters.add(check);
      check();
      void exited.then((code) => {
        if (!lineWaiters.delete(check)) return;
        reject(new Error(`the server exited (${code}) before printing "${line}" ${count} times: ${stderr}`));
      });
    });
  return { url, child, exited, stderr: () => stderr, printed };
}
