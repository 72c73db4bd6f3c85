import type { RateLimitConfig } from "../config/config.js";
import type { Queryable } from "../store/database.js";
import { accountKey, addressKey, type BackoffPolicy } from "./backoff.js";
import { DatabaseFailureStore } from "./database-failure-store.js";
import type { FailureStore } from "./failure-store.js";
import { MemoryFailureStore } from "./memory-failure-store.js";

/** Who is logging in: the email as typed (normalized here) and the client address. */
export interface LoginAttemptKeys {
  readonly account: string;
  readonly ip: string;
}

export type RateLimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface LoginRateLimiterOptions {
  readonly rateLimit: RateLimitConfig;
  /** Required when `rateLimit.store` is "database". */
  readonly db?: Queryable;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly now?: () => number;
  /** Memory store only: the most counters held (default 100 000). */
  readonly maxEntries?: number;
}

/**
 * Failed-login throttling with growing back-off, per account and per client address (OWASP
 * Authentication Cheat Sheet, "Login Throttling"). A key gets `freeFailures` per window, then
 * each failure blocks it for 1 s, 2 s, 4 s … capped at `maxBlockSeconds`, so an attacker slows
 * to a crawl but cannot lock a real user out for long. Checked before the password is verified,
 * identically for known and unknown accounts. An attempt refused while blocked is not counted,
 * so hammering a blocked account does not extend its block: the back-off grows only with
 * attempts made after each block ends. A success clears the account's counter only (the address
 * keeps its count, or an attacker could reset it by logging in to an account of their own).
 * An address over its limit is blocked for every account (a shared NAT included); its larger
 * allowance (20 per window by default) is what keeps that rare.
 *
 * @example
 * const limiter = createLoginRateLimiter({ rateLimit: config.rateLimit });
 * const decision = await limiter.check({ account: email, ip: request.ip });
 * if (!decision.allowed) reply.header("Retry-After", decision.retryAfterSeconds).code(429);
 */
export class LoginRateLimiter {
  readonly #store: FailureStore;
  readonly #now: () => number;
  readonly #account: BackoffPolicy;
  readonly #address: BackoffPolicy;

  constructor(store: FailureStore, options: { rateLimit: RateLimitConfig; now?: () => number }) {
    const { rateLimit } = options;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    const shared = { windowSeconds: rateLimit.windowSeconds, maxBlockSeconds: rateLimit.maxBlockSeconds };
    this.#account = { ...shared, freeFailures: rateLimit.accountFreeFailures };
    this.#address = { ...shared, freeFailures: rateLimit.addressFreeFailures };
  }

  /** Whether a login attempt may proceed now; if not, how long until it may (RFC 9110 §10.2.3 Retry-After). */
  async check(keys: LoginAttemptKeys): Promise<RateLimitDecision> {
    const now = this.#now();
    const until = await this.#store.blockedUntil([accountKey(keys.account), addressKey(keys.ip)], now);
    if (until === undefined) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  /** Counts a failed attempt against the account and the address. */
  async recordFailure(keys: LoginAttemptKeys): Promise<void> {
    const now = this.#now();
    await this.#store.recordFailure(accountKey(keys.account), now, this.#account);
    await this.#store.recordFailure(addressKey(keys.ip), now, this.#address);
  }

  /** A successful login clears the account's counter (not the address's). */
  async recordSuccess(keys: LoginAttemptKeys): Promise<void> {
    await this.#store.clear(accountKey(keys.account));
  }
}

/** The limiter `config.rateLimit.store` asks for: in this process's memory, or in the database. */
export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  const { rateLimit } = options;
  let store: FailureStore;
  if (rateLimit.store === "database") {
    if (options.db === undefined) throw new TypeError('rateLimit.store is "database" but no db was given');
    store = new DatabaseFailureStore(options.db);
  } else {
    store = new MemoryFailureStore(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries });
  }
  return new LoginRateLimiter(store, { rateLimit, ...(options.now ? { now: options.now } : {}) });
}
