import type { RateLimitConfig } from "../config/config.js";
import type { Database } from "../store/database.js";
import type { AttemptStore, CountedKey } from "./attempt-store.js";
import { accountKey, addressKey, type BackoffPolicy, deviceKey } from "./backoff.js";
import { DatabaseAttemptStore } from "./database-attempt-store.js";
import { MemoryAttemptStore } from "./memory-attempt-store.js";

/** Who is signing in: the email as typed (normalized here), the client address, and a known device. */
export interface LoginAttemptKeys {
  readonly account: string;
  readonly ip: string;
  /**
   * The device id of a valid device credential for this account (device-credential.ts): a
   * browser or app that signed in to this account before. Its attempts are counted on the
   * device, not on the account.
   */
  readonly device?: string | undefined;
  /**
   * The session asking, when a signed-in user re-enters the password (a password change): its
   * attempts are counted on the session, so failures from elsewhere cannot block it either.
   */
  readonly session?: string | undefined;
}

/** An attempt that may go ahead; report how it ended. */
export interface LoginAttempt {
  readonly allowed: true;
  /** The password was right: the account's (or device's) counter starts afresh, the address gets its attempt back. */
  succeeded(): Promise<void>;
  /** The password was wrong: nothing more to do, the attempt was counted when it was reserved. */
  failed(): Promise<void>;
  /** The attempt was never evaluated (the hash queue was full): both keys get it back. */
  abandoned(): Promise<void>;
}

export type LoginAttemptDecision = LoginAttempt | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface LoginRateLimiterOptions {
  readonly rateLimit: RateLimitConfig;
  /** Required when `rateLimit.store` is "database". */
  readonly db?: Database;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly now?: () => number;
  /** Memory store only: the most counters held (default 100 000). */
  readonly maxEntries?: number;
}

/**
 * Sign-in throttling with growing back-off, per account and per client address (OWASP
 * Authentication Cheat Sheet, "Login Throttling"), race-free: an attempt is counted — reserved —
 * before its password is hashed, atomically on both keys, so a burst of concurrent guesses gets
 * no more evaluations than the allowance; the rest are refused with Retry-After. A key gets its
 * allowance per window, then each attempt blocks it for 1 s, 2 s, 4 s … capped at
 * `maxBlockSeconds`. An attempt refused while a key is blocked is not counted, so hammering a
 * blocked account does not extend its block. A success clears the account's counter and gives
 * the address its attempt back (not more: an attacker could otherwise reset an address's count by
 * signing in to an account of their own).
 *
 * An attacker must not be able to keep a victim out (OWASP, "Slow Down Online Guessing Attacks
 * with Device Cookies"): a client that signed in to the account before presents a device
 * credential and is counted on its device instead of the account, so failures from elsewhere do
 * not block it. Failures from unknown devices still count on the account.
 *
 * @example
 * const limiter = createLoginRateLimiter({ rateLimit: config.rateLimit });
 * const attempt = await limiter.reserve({ account: email, ip: request.ip });
 * if (!attempt.allowed) throw tooMany(attempt.retryAfterSeconds);
 * (await verify()) ? await attempt.succeeded() : await attempt.failed();
 */
export class LoginRateLimiter {
  readonly #store: AttemptStore;
  readonly #now: () => number;
  readonly #account: BackoffPolicy;
  readonly #address: BackoffPolicy;
  readonly #scope: string;

  /**
   * `scope` keeps another flow's counters apart from sign-in's (account recovery counts on
   * "recovery:…" keys), so that requests of one flow never lock the other.
   */
  constructor(store: AttemptStore, options: { rateLimit: RateLimitConfig; now?: () => number; scope?: string }) {
    const { rateLimit } = options;
    this.#store = store;
    this.#scope = options.scope === undefined ? "" : `${options.scope}:`;
    this.#now = options.now ?? Date.now;
    const shared = { windowSeconds: rateLimit.windowSeconds, maxBlockSeconds: rateLimit.maxBlockSeconds };
    this.#account = { ...shared, allowance: rateLimit.accountFreeFailures };
    this.#address = { ...shared, allowance: rateLimit.addressFreeFailures };
  }

  /** Counts a sign-in attempt before it is evaluated, or refuses it with how long to wait (RFC 9110 §10.2.3 Retry-After). */
  async reserve(keys: LoginAttemptKeys): Promise<LoginAttemptDecision> {
    const now = this.#now();
    const who: CountedKey = {
      key:
        this.#scope +
        (keys.session !== undefined
          ? `session:${keys.session}`
          : keys.device !== undefined
            ? deviceKey(keys.device)
            : accountKey(keys.account)),
      policy: this.#account,
    };
    const where: CountedKey = { key: this.#scope + addressKey(keys.ip), policy: this.#address };
    const blockedUntil = await this.#store.reserve([who, where], now);
    if (blockedUntil !== undefined) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)) };
    }
    return {
      allowed: true,
      succeeded: async () => {
        await this.#store.clear(who.key);
        await this.#store.refund(where, this.#now());
      },
      failed: async () => {},
      abandoned: async () => {
        const now = this.#now();
        await this.#store.refund(who, now);
        await this.#store.refund(where, now);
      },
    };
  }
}

/** The store `config.rateLimit.store` asks for: this process's memory, or the database. */
export function createAttemptStore(
  options: Pick<LoginRateLimiterOptions, "rateLimit" | "db" | "maxEntries">,
): AttemptStore {
  if (options.rateLimit.store === "database") {
    if (options.db === undefined) throw new TypeError('rateLimit.store is "database" but no db was given');
    return new DatabaseAttemptStore(options.db);
  }
  return new MemoryAttemptStore(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries });
}

/** The limiter `config.rateLimit.store` asks for. */
export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  return new LoginRateLimiter(createAttemptStore(options), {
    rateLimit: options.rateLimit,
    ...(options.now ? { now: options.now } : {}),
  });
}
