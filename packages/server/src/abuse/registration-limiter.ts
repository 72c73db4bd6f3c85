import type { AttemptStore } from "./attempt-store.js";
import { addressKey, type BackoffPolicy } from "./backoff.js";

export interface RegistrationLimits {
  /** Registrations per client address within a window. */
  readonly perAddress: number;
  /** Registrations in all within a window (a flood spread over many addresses). */
  readonly overall: number;
  readonly windowSeconds: number;
}

/**
 * Registration quotas, per client address and overall, counted before any work (the password
 * hash) and never given back: creating accounts is what a flood wants, whatever its outcome.
 * Over either quota the key is blocked until its window ends. Backed by the same stores as sign-in
 * throttling, so several instances on one database share the count.
 *
 * @example
 * const decision = await limiter.reserve(request.ip);
 * if (!decision.allowed) reply.header("retry-after", decision.retryAfterSeconds).code(429);
 */
export class RegistrationLimiter {
  readonly #store: AttemptStore;
  readonly #now: () => number;
  readonly #perAddress: BackoffPolicy;
  readonly #overall: BackoffPolicy;

  constructor(store: AttemptStore, options: { limits: RegistrationLimits; now?: () => number }) {
    const { limits } = options;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    const window = {
      windowSeconds: limits.windowSeconds,
      maxBlockSeconds: limits.windowSeconds,
      block: "window" as const,
    };
    this.#perAddress = { ...window, allowance: limits.perAddress };
    this.#overall = { ...window, allowance: limits.overall };
  }

  async reserve(ip: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    const now = this.#now();
    const blockedUntil = await this.#store.reserve(
      [
        { key: `register:${addressKey(ip)}`, policy: this.#perAddress },
        { key: "register:*", policy: this.#overall },
      ],
      now,
    );
    if (blockedUntil === undefined) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)) };
  }
}
