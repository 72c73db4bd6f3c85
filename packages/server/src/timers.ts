/**
 * Timers as the server uses them in the background: the revocation feed hub's poll, heartbeat,
 * listener check, sweep and gap wait; housekeeping; the signing-key schedule. Injectable (the
 * `timers` option of openServerContext and startServer, beside `now`) so that tests move time
 * forward instead of waiting for it; Node's global functions fit, and so does a fake that fires
 * its callbacks when a test says so.
 *
 * @example
 * await startServer(config, { now: () => fake.now, timers: fake.timers });
 */
export interface TimersLike {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: the server's background work never keeps a process alive on its own. */
export const systemTimers: TimersLike = Object.freeze({
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout | undefined);
  },
});
