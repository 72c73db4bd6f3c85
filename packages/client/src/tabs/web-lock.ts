import type { TimersLike } from "../client-types.js";

/**
 * The part of the Web Locks API (`navigator.locks`) the client uses. Tests pass a fake.
 * https://w3c.github.io/web-locks/
 */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean; mode?: "shared" },
    callback: () => Promise<unknown>,
  ): Promise<unknown>;
  /**
   * The locks held now. Optional: without it a tab cannot see another tab's marker of a newer
   * token (see tab-sync.ts), and may refresh once more after a broadcast that is late.
   */
  query?(): Promise<{ held?: Array<{ name?: string }> }>;
}

/**
 * Runs `task` while holding the exclusive lock `name`, shared by every tab of the origin.
 *
 * A tab can hang while it holds the lock (frozen in the background, paused in a debugger, its
 * request stalled): after `timeoutMs` of waiting the lock is taken from it with `steal`, so one
 * hung tab cannot keep every other tab from refreshing. That is safe because the server hands the
 * same successor to a refresh token presented twice within its grace window (10 s by default):
 * whatever the hung tab still sends gets the same answer.
 *
 * The task's own outcome is returned, even when the lock is stolen from this tab meanwhile.
 */
export async function withWebLock<T>(
  locks: LockManagerLike,
  name: string,
  timeoutMs: number,
  timers: TimersLike,
  task: () => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  let outcome: Promise<T> | undefined;
  const hold = (): Promise<unknown> => {
    timers.clearTimeout(timer);
    outcome = task();
    // Keep the lock until the task settles, whatever the outcome; the caller reads `outcome`.
    return outcome.catch(() => undefined);
  };
  const request = (options: { signal?: AbortSignal; steal?: boolean }): Promise<unknown> =>
    locks.request(name, options, hold).catch((error: unknown) => {
      // Granted, then stolen by another tab: the lock's promise rejects, the task goes on.
      if (!outcome) throw error;
    });
  const timer = timers.setTimeout(() => abort.abort(), timeoutMs);
  try {
    await request({ signal: abort.signal });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    await request({ steal: true });
  } finally {
    timers.clearTimeout(timer);
  }
  return outcome as Promise<T>;
}
