// Real processes for the repository-wide integration tests (packaging, signals, the READMEs):
// start one and wait for its ready line, run one to completion without blocking the event loop
// (a server started earlier keeps writing to its pipes meanwhile), stop one with a signal, and
// tell whether a port is free again. Whatever a test leaves running is killed when its file ends.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { after } from "node:test";

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedProcess {
  readonly child: ChildProcess;
  /** Resolves with the first line matching `ready`; rejects if the process exits first or the timeout passes. */
  readonly ready: Promise<string>;
  readonly exited: Promise<ExitStatus>;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /**
   * Resolves once its output (from the start) matches `pattern`; rejects if it exits first. The
   * safety timeout (default 60 s) only turns a line that never comes into a failure.
   */
  outputMatches(pattern: RegExp, options?: { timeoutMs?: number }): Promise<void>;
  /** Sends the signal (to its whole process group when started with `group`) and waits for the exit. */
  stop(signal: NodeJS.Signals, options?: { timeoutMs?: number }): Promise<ExitStatus>;
}

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The line that says it is ready. */
  ready: RegExp;
  readyTimeoutMs?: number;
  /** Its own process group, as a shell job: `stop()` then signals the group, as a terminal's Ctrl-C does. */
  group?: boolean;
}

/** What is still running, and whether it leads its own process group; killed when the test file ends. */
const running = new Map<ChildProcess, { group: boolean }>();
after(() => {
  for (const [child, { group }] of running) {
    if (child.pid === undefined) continue;
    // A group outlives its leader when the leader did not pass a signal on (the orphans to kill).
    if (!group && (child.exitCode !== null || child.signalCode !== null)) continue;
    try {
      process.kill(group ? -child.pid : child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * The environment of a process started by a test: this one's, without what the test runner and
 * npm put there (a child `node` must not think it is a test file, a child `npm` must not inherit
 * the outer npm's configuration) and without Sigil's own settings, which the caller sets.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|NODE_TEST_CONTEXT$|SIGIL_|DATABASE_URL$|NODE_ENV$|INIT_CWD$)/i.test(name)) continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

export function startProcess(command: string, args: readonly string[], options: StartOptions): StartedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.group === true,
  });
  running.set(child, { group: options.group === true });
  let output = "";
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  /** Called after each chunk of output, and once its output has ended ("close": exited, pipes drained). */
  const watchers = new Set<() => void>();
  const wake = (): void => {
    for (const watcher of [...watchers]) watcher();
  };
  let closed = false;
  child.once("close", () => {
    closed = true;
    wake();
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      wake();
      const line = output.split("\n").find((l) => options.ready.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((status) => {
      clearTimeout(timer);
      reject(
        new Error(`${command} ${args.join(" ")} exited before it was ready (${JSON.stringify(status)}):\n${output}`),
      );
    });
  });
  ready.catch(() => {}); // observed by the caller
  const started: StartedProcess = {
    child,
    ready,
    exited,
    output: () => output,
    outputMatches(pattern, matchOptions = {}) {
      const safetyMs = matchOptions.timeoutMs ?? 60_000;
      return new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const check = (): void => {
          const matched = pattern.test(output);
          if (!matched && !closed) return;
          watchers.delete(check);
          clearTimeout(timer);
          if (matched) resolve();
          else reject(new Error(`${command} exited before its output matched ${pattern}:\n${output}`));
        };
        timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no output matching ${pattern} in ${safetyMs} ms:\n${output}`));
        }, safetyMs);
        watchers.add(check);
        check();
      });
    },
    async stop(signal, stopOptions = {}) {
      const pid = child.pid;
      if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(options.group === true ? -pid : pid, signal);
      }
      const stopTimeoutMs = stopOptions.timeoutMs ?? 15_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running ${stopTimeoutMs} ms after ${signal}:\n${output}`)),
          stopTimeoutMs,
        );
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  if (options.group !== true) void exited.then(() => running.delete(child));
  return started;
}

export interface RunResult extends ExitStatus {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, asynchronously. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; input?: string },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} took over ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** True when nothing listens on 127.0.0.1:port (a listener can be opened there). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: "127.0.0.1", port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
