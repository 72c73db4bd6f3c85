// Waiting for one IPC message from a benchmark's child process, bounded: a child that reports
// failure, exits or stays silent turns into a rejection naming it, never into a hung benchmark.

import type { ChildProcess } from "node:child_process";

/**
 * Resolves with the first IPC message from `child` whose `type` matches. Rejects when the child
 * sends `{type: "failed", message}`, exits first, or sends nothing matching within `timeoutMs`.
 * `label` names the child in those errors ("server child", the entry's path).
 */
export function nextMessage<T>(child: ChildProcess, label: string, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: { type?: string; message?: string }): void => {
      if (message.type === "failed") {
        cleanup();
        reject(new Error(`${label} failed: ${message.message ?? ""}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${label} exited (${code}) while waiting for "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${label}: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
