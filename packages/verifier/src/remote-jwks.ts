import type { JWK, JWKS, JWSAlgorithm, VerificationKey, VerificationKeySet } from "@sigil/jwt";
import { jwksKeySet } from "@sigil/jwt";
import { VerifierError } from "./errors/verifier-error.js";
import { freshnessMs } from "./lib/cache-control.js";
import { describeError, type FetchFunction, fetchJSONObject } from "./lib/http.js";
import { checkDuration, invalidOption } from "./lib/options.js";
import { systemTimers, type TimersLike } from "./lib/timers.js";

export interface RemoteJWKSOptions {
  /** The algorithms the verifier accepts; keys of other algorithms in the document are ignored. */
  algorithms: readonly JWSAlgorithm[];
  fetch?: FetchFunction;
  /** At most one refetch per this interval for an unknown `kid` (default 30 s). */
  cooldownMs?: number;
  /** Lower bound of the refresh interval, whatever Cache-Control says (default 30 s). */
  minRefreshMs?: number;
  /** Upper bound of the refresh interval (default 1 h), so a rotation is seen even with a long max-age. */
  maxRefreshMs?: number;
  /** Refresh interval when the response has no max-age (default 5 min). */
  maxAgeFallbackMs?: number;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** Clock in milliseconds, for the cool-down (default Date.now). */
  now?: () => number;
  /** Timers of the background refresh and of request timeouts (default Node's, unref'd). */
  timers?: TimersLike;
  /** Called for each failed fetch; the last good key set stays in use. */
  onError?: (error: VerifierError) => void;
}

/** A VerificationKeySet backed by a remote JWKS document, kept fresh in the background. */
export interface RemoteJWKS extends VerificationKeySet {
  /** Resolves after the first successful fetch; rejects (JWKS_UNAVAILABLE) if the first attempt fails. Retries go on. */
  ready(): Promise<void>;
  /** Fetches now (joins a fetch already in flight). Rejects on failure; the last good keys stay. */
  refresh(): Promise<void>;
  /** Stops background refreshes. */
  close(): void;
  /** True once a key set has been loaded. */
  readonly loaded: boolean;
  /** Number of fetches started, for metrics. */
  readonly fetches: number;
}

const NO_KEYS: readonly VerificationKey[] = Object.freeze([]);

/**
 * Loads a JWKS from `url` and keeps it fresh: cached for the response's Cache-Control max-age
 * (bounded), refreshed in the background before it goes stale, and refetched when a token names
 * an unknown `kid` — at most once per cool-down, so random `kid`s from an attacker cannot make
 * the verifier hammer the auth server. `find()` stays synchronous: the token that named the new
 * `kid` fails with KEY_NOT_FOUND, and the refetched key serves the next one. When the server is
 * down or answers garbage, the last good key set keeps working.
 *
 * @example
 * const keys = createRemoteJWKS("https://auth.example.com/.well-known/jwks.json", { algorithms: ["EdDSA"] });
 * await keys.ready();
 */
export function createRemoteJWKS(url: string, options: RemoteJWKSOptions): RemoteJWKS {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const cooldownMs = checkDuration("cooldownMs", options.cooldownMs ?? 30_000, { min: 0 });
  const minRefreshMs = checkDuration("minRefreshMs", options.minRefreshMs ?? 30_000, { min: 1 });
  const maxRefreshMs = checkDuration("maxRefreshMs", options.maxRefreshMs ?? 3_600_000, { min: minRefreshMs });
  const fallbackMs = checkDuration("maxAgeFallbackMs", options.maxAgeFallbackMs ?? 300_000, { min: 0 });
  const timeoutMs = checkDuration("timeoutMs", options.timeoutMs ?? 5000, { min: 1 });
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw invalidOption("algorithms", "list the algorithms the verifier accepts");
  }
  const algorithms = [...options.algorithms];

  let current: VerificationKeySet | undefined;
  let fingerprint = "";
  let version = 0;
  let fetches = 0;
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let timer: unknown;
  let closed = false;

  function schedule(delayMs: number): void {
    if (closed) return;
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      refresh().catch(() => {}); // reported through onError; the next attempt is scheduled by refresh()
    }, delayMs);
  }

  async function load(): Promise<void> {
    fetches++;
    lastFetchAt = now();
    try {
      const { body, headers } = await fetchJSONObject(url, {
        fetch: fetchFn,
        timeoutMs,
        code: "JWKS_UNAVAILABLE",
        timers,
      });
      install(body);
      // Refresh a little before the document goes stale (RFC 9111 §4.2), within the bounds.
      const lifetime = freshnessMs(headers.get("cache-control")) ?? fallbackMs;
      schedule(Math.min(maxRefreshMs, Math.max(minRefreshMs, lifetime * 0.9)));
    } catch (cause) {
      const error =
        cause instanceof VerifierError
          ? cause
          : new VerifierError("JWKS_INVALID", `${url}: ${describeError(cause)}`, { url }, cause);
      options.onError?.(error);
      schedule(Math.max(cooldownMs, 1000));
      throw error;
    }
  }

  function install(body: Record<string, unknown>): void {
    const keys = body["keys"];
    if (!Array.isArray(keys)) throw new VerifierError("JWKS_INVALID", `${url}: no "keys" array`, { url });
    const next = jwksKeySet(body as unknown as JWKS, { algorithms });
    if (next.find(undefined).length === 0) {
      // An empty set is far more likely a broken deployment than a deliberate revocation of every key.
      throw new VerifierError("JWKS_INVALID", `${url}: no usable key for ${algorithms.join(", ")}`, { url });
    }
    const print = fingerprintOf(keys as JWK[]);
    current = next;
    if (print !== fingerprint) {
      fingerprint = print;
      version++;
    }
  }

  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  const first = refresh();
  first.catch(() => {}); // observed through ready()

  return {
    get version() {
      return version;
    },
    get loaded() {
      return current !== undefined;
    },
    get fetches() {
      return fetches;
    },
    find(kid) {
      const keys = current ? current.find(kid) : NO_KEYS;
      if (keys.length === 0 && kid !== undefined && !inFlight && !closed && now() - lastFetchAt >= cooldownMs) {
        refresh().catch(() => {}); // reported through onError
      }
      return keys;
    },
    ready() {
      return current ? Promise.resolve() : (inFlight ?? first);
    },
    refresh,
    close() {
      closed = true;
      timers.clearTimeout(timer);
    },
  };
}

/** A canonical form of the key set, so `version` changes only when the keys do, not on every fetch. */
function fingerprintOf(keys: readonly JWK[]): string {
  return keys
    .map((key) =>
      JSON.stringify(
        Object.keys(key)
          .sort()
          .map((name) => [name, key[name]]),
      ),
    )
    .sort()
    .join("\n");
}
