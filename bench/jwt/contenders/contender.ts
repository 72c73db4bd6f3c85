// The shape every implementation under test is adapted to. Adapters do their one-time work
// (key import, option compilation) when created, so only per-token work is timed.

import type { AlgFixture, BenchAlgorithm } from "../fixtures.js";

/**
 * "off": no cache, a pool of distinct tokens; "hit": the cache enabled and one token reused;
 * "miss": the cache enabled but the pool cycled through a cache half its size, so every
 * lookup misses (a cache miss must cost no more than the uncached path).
 */
export type CacheMode = "off" | "hit" | "miss";

/** Returns the verified claims (or a promise of them), or throws. */
export type VerifyFunction = (token: string) => unknown;
/** Signs the fixture's claims with a fresh iat/exp (or returns a promise of the token). */
export type SignFunction = () => unknown;

export interface PreparedVerifier {
  readonly verify: VerifyFunction;
  /** Reads `sub` out of whatever `verify` resolved to, to check that it really verified. */
  readonly subjectOf: (result: unknown) => unknown;
}

export interface Contender {
  /** Row label, e.g. "fast-jwt". */
  readonly name: string;
  /** "raw" is the baseline, "sigil" the product, "peer" another library. */
  readonly role: "raw" | "sigil" | "peer";
  /** How keys are handed to it: "KeyObject", "CryptoKey", or "secret bytes / PEM". */
  readonly keyForm: string;
  /** Why this contender cannot do `alg` at all, or undefined when it can. */
  unsupported(alg: BenchAlgorithm): string | undefined;
  /** The cache modes it offers for verify. */
  readonly cacheModes: readonly CacheMode[];
  createSigner(fixture: AlgFixture): Promise<SignFunction>;
  createVerifier(fixture: AlgFixture, cache: CacheMode, cacheSize: number): Promise<PreparedVerifier>;
}

/** Reads `payload.sub` from a `{ payload }` result (Sigil, jose). */
export function subjectOfPayloadField(result: unknown): unknown {
  return (result as { payload?: { sub?: unknown } } | undefined)?.payload?.sub;
}

/** Reads `sub` from a bare claims object (raw, fast-jwt, jsonwebtoken). */
export function subjectOfClaims(result: unknown): unknown {
  return (result as { sub?: unknown } | undefined)?.sub;
}
