// Child processes of the benchmark: TypeScript entry points run through tsx, optionally pinned
// to one core, talking to the parent over IPC. Every wait is bounded.

import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { nextMessage } from "../lib/child-message.js";

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
      return nextMessage<T>(child, entry, type, timeoutMs);
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
