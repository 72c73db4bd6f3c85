import type { EventTargetLike, TimersLike } from "../client-types.js";
import { isSigilClientError } from "../errors/sigil-client-error.js";

/** Backoff between failed proactive refreshes: 2 s, 4 s, 8 s, … capped at one minute. */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;

/** Runs the proactive refresh at a planned time and keeps retrying it while it fails for a "retry" reason. */
export interface RefreshScheduler {
  /** Plans the next proactive refresh in `delayMs` (relative: immune to a wrong local clock). */
  planIn(delayMs: number): void;
  /** Cancels what is planned (signed out). */
  stop(): void;
  /** Stops for good and lets go of the `online` listener. */
  close(): void;
}

export interface RefreshSchedulerOptions {
  timers: TimersLike;
  /** Where `online` events come from (the window in browsers); retries at once when it fires. */
  online: EventTargetLike | undefined;
  refresh: () => Promise<unknown>;
  /** Failures of a proactive refresh have no caller to reject: they are reported here. */
  report: (error: unknown) => void;
}

/**
 * A failure with action "retry" (offline, 503, 429) keeps the session: the token may still be
 * valid, and the refresh token certainly is. So the scheduler retries with capped exponential
 * backoff, never sooner than the server's Retry-After, and at once when the browser says it is
 * back online. A "signIn" failure has already ended the session; nothing is retried.
 */
export function createRefreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const { timers, online, refresh, report } = options;
  let handle: unknown;
  let failures = 0;
  let closed = false;

  const set = (delayMs: number): void => {
    timers.clearTimeout(handle);
    if (!closed) handle = timers.setTimeout(run, Math.max(0, delayMs));
  };
  const run = (): void => {
    refresh().then(
      () => {
        failures = 0;
      },
      (error: unknown) => {
        report(error);
        if (isSigilClientError(error) && error.action === "signIn") return;
        failures++;
        const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failures);
        set(Math.max(backoff, ((isSigilClientError(error) && error.retryAfterSeconds) || 0) * 1000));
      },
    );
  };
  const onOnline = (): void => {
    if (failures > 0) set(0);
  };
  const stop = (): void => {
    failures = 0;
    timers.clearTimeout(handle);
  };
  online?.addEventListener("online", onOnline);

  return {
    planIn(delayMs) {
      failures = 0;
      set(delayMs);
    },
    stop,
    close() {
      closed = true;
      stop();
      online?.removeEventListener("online", onOnline);
    },
  };
}
