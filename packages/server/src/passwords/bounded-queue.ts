import { HashQueueFullError } from "./password-errors.js";

/**
 * A counting semaphore with a bounded waiting line. At most `concurrency` jobs run; up to
 * `queueLimit` more wait in FIFO order; beyond that `run` throws {@link HashQueueFullError} at
 * once, with a Retry-After estimated from the recent job duration.
 */
export class BoundedQueue {
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;
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
    this.#queueLimit = options.queueLimit;
  }

  /** Jobs waiting for a slot (not counting those running). */
  get waiting(): number {
    return this.#waiting.length;
  }

  get running(): number {
    return this.#running;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#queueLimit) throw new HashQueueFullError(this.#retryAfter());
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    // The slot was handed over by release() (running stays counted) or taken above.
    const started = performance.now();
    try {
      return await job();
    } finally {
      this.#averageMs = this.#averageMs * 0.8 + (performance.now() - started) * 0.2;
      this.#release();
    }
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }

  /** Seconds until the line now waiting has drained, at least 1. */
  #retryAfter(): number {
    const rounds = (this.#waiting.length + this.#running) / this.#concurrency;
    return Math.max(1, Math.ceil((rounds * this.#averageMs) / 1000));
  }
}
