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
 * of the server's now, so the receiver places it on its own view of the server's clock. `ask`: the
 * lock holder wants a token expiring at `expiresAt` or later; a tab that has one sends it again.
 */
export type TabMessage =
  | { type: "token"; token: string; expiresAt: number; lifetime: number; serverNow: number }
  | { type: "signedOut" }
  | { type: "ask"; expiresAt: number };

/** Cross-tab coordination: one refresh at a time among all tabs, and news of tokens and sign-outs. */
export interface TabSync {
  /**
   * Runs `task` holding the cross-tab lock. If another tab has marked a token expiring at some
   * `expiresAt` for which `wants(expiresAt)` holds, the task runs once that token has arrived
   * here, or after `lockTimeoutMs` without it.
   */
  withLock<T>(task: () => Promise<T>, wants: (expiresAt: number) => boolean): Promise<T>;
  post(message: TabMessage): void;
  /**
   * Marks, for the tabs waiting for the lock, that this one got a token expiring at `expiresAt`
   * from the server; resolves once the mark is visible to them.
   */
  mark(expiresAt: number): Promise<void>;
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
 *
 * Why marks. Browsers do not order a broadcast against a lock grant: Chromium now and then grants
 * the lock to the next tab before that tab has been handed the token the previous holder
 * broadcast (measured in test/e2e/cookie-mode.int.test.ts), and the next tab, seeing no fresh
 * token, would refresh once more. Yielding a task or a fixed time only makes that rarer. So a tab
 * that refreshed also takes a shared lock named `<name>#<expiresAt>` before it lets go of the
 * refresh lock. Every request, release and query of a lock manager runs on one queue (Web Locks
 * spec), so the next holder, querying it after its own grant, sees that mark; if the marked token
 * is newer than its own and still fresh, it asks for it on the channel and waits for it instead of
 * refreshing: the broadcast already on its way, or the answer of any tab that has the token. The
 * wait is bounded by `lockTimeoutMs` on the injected timers (a tab that opened after the broadcast
 * and whose question no one answers), and then it refreshes: one serial refresh, as before.
 * A mark is only a lock's name: an expiry, never a token. It is held until the tabs waiting for
 * the refresh lock have had their turn (see `mark`), and goes with its tab.
 *
 * Not chosen: a marker in localStorage would break the rule that the client keeps nothing in Web
 * Storage, and is no better ordered (Chromium serves localStorage from a copy in each renderer,
 * updated by messages of its own); the refreshing tab waiting for every other tab to acknowledge
 * its broadcast needs a list of the open tabs, which a crashed or frozen tab leaves wrong, so it
 * would often end in the timeout; asking "anyone refreshed?" after each grant without a mark would
 * wait out the timeout whenever nobody had, before every refresh. Without `query()` (a custom lock
 * manager) there are no marks, and a late broadcast may cost one more, serial refresh.
 */
export function createTabSync(options: TabSyncOptions, receive: (message: TabMessage) => void): TabSync {
  const { locks, name, lockTimeoutMs, timers } = options;
  let channel = options.channel;
  const prefix = `${name}#`;
  /** While the lock holder waits for a marked token: told the expiry of each token that arrives. */
  let awaited: ((expiresAt: number) => void) | undefined;
  const marking = (): LockManagerLike | undefined => (channel && locks?.query ? locks : undefined);

  if (channel)
    channel.onmessage = ({ data }) => {
      // Same-origin only, but it may be another version of this client: check the shape.
      const message = data as Partial<Record<string, unknown>> | null;
      const valid = (...values: unknown[]): boolean => values.every(Number.isFinite);
      if (message?.type === "signedOut") receive({ type: "signedOut" });
      else if (message?.type === "ask" && valid(message.expiresAt)) receive(message as TabMessage);
      else if (
        message?.type === "token" &&
        typeof message.token === "string" &&
        valid(message.expiresAt, message.lifetime, message.serverNow)
      ) {
        receive(message as TabMessage);
        awaited?.(message.expiresAt as number);
      }
    };

  /** The newest token another tab has marked (0: none, or no way to tell). */
  async function newestMark(): Promise<number> {
    const snapshot = await marking()
      ?.query?.()
      .catch(() => undefined);
    return Math.max(
      0,
      ...(snapshot?.held ?? []).map((lock) => (lock.name?.startsWith(prefix) && +lock.name.slice(prefix.length)) || 0),
    );
  }

  /** Asks the other tabs for a token expiring at `expiresAt` or later; resolves when it is here, or after the timeout. */
  const tokenFor = (expiresAt: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        timers.clearTimeout(timer);
        awaited = undefined;
        resolve();
      };
      const timer = timers.setTimeout(done, lockTimeoutMs);
      awaited = (arrived) => arrived >= expiresAt && done();
      channel?.postMessage({ type: "ask", expiresAt });
    });

  return {
    withLock: (task, wants) =>
      locks
        ? withWebLock(locks, name, lockTimeoutMs, timers, async () => {
            const newest = await newestMark();
            if (wants(newest)) await tokenFor(newest);
            return task();
          })
        : task(),
    post: (message) => channel?.postMessage(message),
    mark: (expiresAt) =>
      new Promise((held) => {
        const manager = marking();
        if (!manager) return held();
        // Shared: two tabs that marked the same expiry do not wait for each other. A manager that
        // refuses (an opaque origin) leaves no mark, and nothing waits for one.
        manager
          .request(prefix + expiresAt, { mode: "shared" }, () => {
            held();
            // Asked for while this tab still holds the refresh lock, so queued behind every tab
            // that waits for it now (grants are first come, first served): when this no-op is
            // granted they have all had their turn, and the mark goes. Held for no longer, since
            // Chromium keeps a page that holds a lock out of the back/forward cache.
            return manager.request(name, {}, async () => {});
          })
          .catch(() => held());
      }),
    close: () => {
      channel?.close();
      channel = undefined;
    },
  };
}
