/**
 * Timers as the verifier uses them: the JWKS refresh and cool-down, the feed's watchdog and
 * reconnection back-off, the staleness monitor, the mirror's sweep, discovery retries and request
 * timeouts. Injectable (the `timers` option, beside `now`) so that tests move time forward
 * instead of waiting for it; Node's global functions fit, and so does a fake that fires its
 * callbacks when a test says so.
 *
 * @example
 * createAccessTokenVerifier({ ...options, now: () => fake.now, timers: fake.timers });
 */
export interface TimersLike {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: the verifier's background work never keeps a process alive. */
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

/**
 * Runs `task` every `intervalMs` until the returned function is called. The next run is armed
 * when the previous one has returned (a timer re-armed, not an interval), so runs never overlap.
 */
export function repeat(timers: TimersLike, intervalMs: number, task: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const arm = (): void => {
    handle = timers.setTimeout(() => {
      if (stopped) return;
      try {
        task();
      } finally {
        if (!stopped) arm();
      }
    }, intervalMs);
  };
  arm();
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}

/** What {@link timeoutSignal} returns: the signal, and a way to drop its timer once the work is done. */
export interface TimeoutSignal {
  readonly signal: AbortSignal;
  clear(): void;
}

/**
 * `AbortSignal.timeout(ms)` on the given timers: aborts with a `TimeoutError` DOMException after
 * `ms`, unless cleared first.
 */
export function timeoutSignal(timers: TimersLike, ms: number): TimeoutSignal {
  const controller = new AbortController();
  const handle = timers.setTimeout(() => {
    controller.abort(new DOMException(`The operation timed out after ${ms} ms`, "TimeoutError"));
  }, ms);
  return { signal: controller.signal, clear: () => timers.clearTimeout(handle) };
}
