import { HashQueueFullError } from "./password-errors.js";

/**
 * Which line a job waits in. `interactive`: a verification someone is waiting on to sign in.
 * `background`: a new hash (registration, a password change or reset, a rehash after login),
 * which nobody can be made to wait for by a flood of it.
 */
export type HashLane = "interactive" | "background";

/**
 * A counting semaphore with two bounded waiting lines. At most `concurrency` jobs run. A free
 * slot goes to the interactive line first, and background jobs never hold more than
 * `concurrency − 1` slots (all of them when there is only one), so a flood of registrations can
 * delay a login by at most one hash in progress, never by a queue of them. Each line is bounded
 * (`queueLimit` interactive jobs, a quarter of it — at least one — background ones); beyond
 * that `run` throws {@link HashQueueFullError} at once, with a Retry-After estimated from the
 * recent job duration.
 */
export class BoundedQueue {
  readonly #concurrency: number;
  readonly #limits: Readonly<Record<HashLane, number>>;
  readonly #backgroundSlots: number;
  readonly #waiting: Record<HashLane, (() => void)[]> = { interactive: [], background: [] };
  #running = 0;
  #runningBackground = 0;
  /** Moving average of a job's duration in ms, for Retry-After. */
  #averageMs = 50;

  constructor(options: { concurrency: number; queueLimit: number }) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer (got ${options.concurrency})`);
    }
    if (!Number.isInteger(options.queueLimit) || options.queueLimit < 0) {
      throw new RangeError(`queueLimit must be a non-negative integer (got ${options.queueLimit})`);
    }
    this.#concurrency = options.concurrency;
    this.#limits = { interactive: options.queueLimit, background: Math.max(1, Math.floor(options.queueLimit / 4)) };
    this.#backgroundSlots = Math.max(1, options.concurrency - 1);
  }

  /** Jobs waiting for a slot, in both lines (not counting those running). */
  get waiting(): number {
    return this.#waiting.interactive.length + this.#waiting.background.length;
  }

  get running(): number {
    return this.#running;
  }

  async run<T>(job: () => Promise<T>, lane: HashLane = "interactive"): Promise<T> {
    if (this.#mayStart(lane)) {
      this.#take(lane);
    } else {
      const line = this.#waiting[lane];
      if (line.length >= this.#limits[lane]) throw new HashQueueFullError(this.#retryAfter());
      // The slot is taken for this job by #release() before it resolves the wait.
      await new Promise<void>((resolve) => line.push(resolve));
    }
    const started = performance.now();
    try {
      return await job();
    } finally {
      this.#averageMs = this.#averageMs * 0.8 + (performance.now() - started) * 0.2;
      this.#running--;
      if (lane === "background") this.#runningBackground--;
      this.#release();
    }
  }

  #mayStart(lane: HashLane): boolean {
    if (this.#running >= this.#concurrency) return false;
    if (lane === "interactive") return true;
    return this.#waiting.interactive.length === 0 && this.#runningBackground < this.#backgroundSlots;
  }

  #take(lane: HashLane): void {
    this.#running++;
    if (lane === "background") this.#runningBackground++;
  }

  /** Hands free slots to waiting jobs, interactive ones first. */
  #release(): void {
    for (const lane of ["interactive", "background"] as const) {
      const line = this.#waiting[lane];
      while (line.length > 0 && this.#mayStartWaiting(lane)) {
        this.#take(lane);
        line.shift()?.();
      }
    }
  }

  #mayStartWaiting(lane: HashLane): boolean {
    if (this.#running >= this.#concurrency) return false;
    return lane === "interactive" || this.#runningBackground < this.#backgroundSlots;
  }

  /** Seconds until the lines now waiting have drained, at least 1. */
  #retryAfter(): number {
    const rounds = (this.waiting + this.#running) / this.#concurrency;
    return Math.max(1, Math.ceil((rounds * this.#averageMs) / 1000));
  }
}
