import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";

export interface ChildServer {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** The last 4,000 characters the process wrote to stderr, for assertion messages. */
  stderr(): string;
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
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    // A guard against a hang, not a time limit: a loaded machine may take long to start a server.
    const timer = setTimeout(() => reject(new Error(`no summary line within 120 s: ${stderr}`)), 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
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
  return { url, child, exited, stderr: () => stderr };
}
