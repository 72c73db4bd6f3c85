import type { TimersLike } from "../timers.js";

/**
 * Lets work that is already queued run to its end (promise chains, database answers already
 * in). setImmediate is not a sleep: it only yields to callbacks already due.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** How long {@link FakeTime.until} waits for a timer before failing: it only turns a hang into a failure. */
const SAFETY_TIMEOUT_MS = 60_000;

/**
 * A clock and timers that move only when a test moves them, to pass as a server's `now` and
 * `timers`: the revocation feed's heartbeats and polls, the key schedule and housekeeping then
 * run when the test advances time, and no test waits for real time to pass.
 *
 * @example
 * const time = new FakeTime();
 * const server = await startTestServer({ now: time.clock, timers: time.timers });
 * await time.advance(5000); // the feed's heartbeat falls due and is written
 */
export class FakeTime {
  /** The clock, in ms since 1970. */
  now: number;
  #nextId = 1;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();
  readonly #waiters = new Set<() => void>();

  constructor(start = Date.now()) {
    this.now = start;
  }

  /** The clock, for a `now` option. */
  readonly clock = (): number => this.now;

  readonly timers: TimersLike = {
    setTimeout: (callback, ms) => {
      const id = this.#nextId++;
      this.#pending.set(id, { at: this.now + Math.max(0, ms), callback });
      this.#changed();
      return id;
    },
    clearTimeout: (handle) => {
      if (typeof handle === "number" && this.#pending.delete(handle)) this.#changed();
    },
  };

  /** Delays (ms from now) of the timers still pending, soonest first. */
  pendingDelays(): number[] {
    return [...this.#pending.values()].map((timer) => timer.at - this.now).sort((a, b) => a - b);
  }

  /** Resolves once `condition()` holds, re-checked each time a timer is armed or cleared. */
  until(condition: () => boolean, what = "the awaited condition"): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        this.#waiters.delete(check);
        clearTimeout(safety);
        resolve();
      };
      const safety = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`never happened: ${what}`));
      }, SAFETY_TIMEOUT_MS);
      this.#waiters.add(check);
    });
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#pending) if (next === undefined || entry[1].at < next[1].at) next = entry;
      if (next === undefined || next[1].at > target) break;
      this.#pending.delete(next[0]);
      this.now = Math.max(this.now, next[1].at);
      next[1].callback();
      await settle();
    }
    this.now = target;
    await settle();
  }

  #changed(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
