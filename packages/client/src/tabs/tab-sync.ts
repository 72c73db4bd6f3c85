import type { TimersLike } from "../client-types.js";
import { type LockManagerLike, withWebLock } from "./web-lock.js";

/** The part of `BroadcastChannel` the client uses. Tests pass a fake. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/**
 * What one tab tells the others. A token's expiry travels in server time, with the sender's idea
 * of the server's now, so the receiver places it on its own view of the server's clock.
 */
export type TabMessage =
  | { type: "token"; token: string; expiresAt: number; lifetime: number; serverNow: number }
  | { type: "signedOut" };

/** Cross-tab coordination: one refresh at a time among all tabs, and news of tokens and sign-outs. */
export interface TabSync {
  withLock<T>(task: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  close(): void;
}

export interface TabSyncOptions {
  name: string;
  locks: LockManagerLike | undefined;
  channel: BroadcastChannelLike | undefined;
  lockTimeoutMs: number;
  timers: TimersLike;
}

/**
 * Web Locks and BroadcastChannel when available; otherwise (Node, old browsers) the task simply
 * runs, and the in-tab single flight is all the coordination there is.
 */
export function createTabSync(options: TabSyncOptions, receive: (message: TabMessage) => void): TabSync {
  const { locks, name, lockTimeoutMs, timers } = options;
  let channel = options.channel;
  if (channel)
    channel.onmessage = ({ data }) => {
      // Same-origin only, but it may be another version of this client: check the shape.
      const message = data as Partial<Record<string, unknown>> | null;
      if (message?.type === "signedOut") receive({ type: "signedOut" });
      else if (
        message?.type === "token" &&
        typeof message.token === "string" &&
        [message.expiresAt, message.lifetime, message.serverNow].every(Number.isFinite)
      ) {
        receive(message as TabMessage);
      }
    };
  return {
    withLock: (task) =>
      locks
        ? withWebLock(locks, name, lockTimeoutMs, timers, async () => {
            if (!channel) return task();
            // A task on each side of the work: what the previous holder broadcast is dispatched
            // here first, and what this one broadcasts is on its way before the lock is released.
            await nextTask();
            try {
              return await task();
            } finally {
              await nextTask();
            }
          })
        : task(),
    post: (message) => channel?.postMessage(message),
    close: () => {
      channel?.close();
      channel = undefined;
    },
  };
}

/**
 * Yields to the event loop once. Chromium may hand the lock on before it dispatches the broadcast
 * that the previous holder posted while holding it (measured in test/e2e/cookie-mode.int.test.ts),
 * and a tab that checked for a fresh token at once would then refresh again; a task later the
 * broadcast has usually been dispatched. A MessageChannel task, not a timer: no clock (real, or
 * faked by a test) is involved.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    // The browser's MessageChannel (Node's has another port type, hence the narrow view of it).
    const { port1, port2 } = new MessageChannel() as unknown as {
      port1: { onmessage: (() => void) | null; close(): void };
      port2: { postMessage(message: unknown): void };
    };
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
