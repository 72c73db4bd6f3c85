// Child processes of the benchmark: TypeScript entry points run through tsx, optionally pinned
// to one core, talking to the parent over IPC. Every wait is bounded.

import { type ChildProcess, fork, spawnSync } from "node:child_process";

export interface BenchChild {
  readonly child: ChildProcess;
  /** Resolves with the first IPC message matching `type`; rejects on exit or after timeoutMs. */
  next<T extends { type: string }>(type: string, timeoutMs: number): Promise<T>;
  send(message: object): void;
  /** Asks the child to stop, then kills it (SIGKILL) if it has not exited within 3 s. */
  stop(): Promise<void>;
}

export interface ForkOptions {
  env?: Record<string, string>;
  /** Pin every thread of the child to this CPU (taskset -a), so each server gets exactly one core. */
  cpu?: number;
  /** Extra node flags (e.g. --expose-gc, --cpu-prof). */
  nodeFlags?: readonly string[];
}

/** Pins every thread of a process to one CPU; false when taskset is missing or refused. */
export function pinToCpu(pid: number, cpu: number): boolean {
  const result = spawnSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
  return result.status === 0;
}

export function forkChild(entry: string, options: ForkOptions = {}): BenchChild {
  const child = fork(entry, [], {
    execArgv: ["--conditions=sigil-source", "--import", "tsx", ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // A send racing the child's exit fails with EPIPE; the exit itself is what callers observe.
  child.on("error", () => {});
  if (options.cpu !== undefined && child.pid !== undefined) pinToCpu(child.pid, options.cpu);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  return {
    child,
    next<T extends { type: string }>(type: string, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (message: { type?: string; message?: string }): void => {
          if (message.type === "failed") {
            cleanup();
            reject(new Error(`${entry} failed: ${message.message ?? ""}`));
          } else if (message.type === type) {
            cleanup();
            resolve(message as T);
          }
        };
        const onExit = (code: number | null): void => {
          cleanup();
          reject(new Error(`${entry} exited (${code}) while waiting for "${type}"`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${entry}: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          child.off("message", onMessage);
          child.off("exit", onExit);
        };
        child.on("message", onMessage);
        child.once("exit", onExit);
      });
    },
    send(message) {
      if (child.connected) child.send(message);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: "stop" });
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
