import type { JWSHeader, VerificationKey } from "../types.js";
import type { VerifiedToken } from "./verifier-options.js";

/**
 * What is kept of a verified token: the token itself (a hit must match it exactly), its time
 * claims (re-checked on every hit) and, from its first hit on, its frozen result. Until then the
 * claims are not kept at all — the first hit parses them again from the token — so a cache miss
 * costs no more than no cache (nothing parsed twice, nothing frozen), and the caller of the miss
 * gets claims of its own that no later caller shares.
 */
export interface CachedToken {
  readonly token: string;
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
  readonly header: JWSHeader;
  readonly key: VerificationKey;
  /** Built, frozen, on the first hit, then shared by every later hit. */
  result: VerifiedToken | undefined;
}

/** Slots of the seen-once filter: a power of two, at least the cache's size, at most 2^20 (4 MiB). */
function filterSlots(maxEntries: number): number {
  let slots = 1024;
  while (slots < maxEntries && slots < 1 << 20) slots *= 2;
  return slots;
}

/**
 * A 30-bit number (a V8 small integer, so a Map keyed by it never hashes a string) taken from
 * the token's length and the 8 characters before the last one: for a JWS those are signature
 * characters, which carry 6 random bits each. Reading 9 characters instead of hashing the whole
 * ~300-character token is what makes a lookup cheap. It is only a bucket: every hit is confirmed
 * by comparing the whole token, so two tokens sharing a signature segment (or colliding here)
 * never answer for each other; a collision only costs a miss.
 */
export function tokenHash(token: string): number {
  const end = token.length - 1;
  let hash = Math.imul(0x811c9dc5 ^ token.length, 0x01000193);
  // charCodeAt past either end is NaN, which a bitwise operator reads as 0.
  for (let i = end - 8; i < end; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 15)) & 0x3fffffff;
}

/**
 * The verified-token cache (issue 2 §2): the same access token is presented many times in its
 * life, so its signature is checked once. Holds only tokens that fully verified; the caller
 * re-runs the clock-dependent claim checks on every hit, so an entry is never returned after
 * `exp` — and an expired entry is dropped as soon as it is seen. The whole cache is dropped when
 * the key set's version changes (a removed key must stop verifying at once).
 *
 * Admission on second sight: a token is stored only when it is verified a second time within
 * about `maxEntries` verifications. The first sight writes one number into a fixed typed array
 * (no allocation), so a flood of distinct tokens — each seen once — neither evicts the tokens in
 * use nor feeds the garbage collector.
 *
 * Bounded with two generations of maxEntries/2 each: new entries go into the young one; when it
 * is full it becomes the old one and the previous old one is dropped whole; a hit in the old
 * generation moves the entry back to the young one. That is LRU-like without per-entry deletes
 * (deleting from the front of a Map makes V8 skip the holes on every later eviction, which
 * cost more than a signature check) and keeps a cache miss as cheap as two Map lookups.
 */
export class TokenCache {
  readonly #generationSize: number;
  #young = new Map<number, CachedToken>();
  #old = new Map<number, CachedToken>();
  #version: number;
  /** tokenHash + 1 of recently verified tokens, by the hash's low bits; 0 is an empty slot. */
  readonly #seen: Int32Array;
  readonly #seenMask: number;

  /** Holds at most `maxEntries` tokens (at least 2). */
  constructor(maxEntries: number, version: number) {
    this.#generationSize = Math.max(1, Math.floor(maxEntries / 2));
    this.#version = version;
    const slots = filterSlots(maxEntries);
    this.#seen = new Int32Array(slots);
    this.#seenMask = slots - 1;
  }

  /** The cached result for exactly this token, if the key set is still at the cached version. */
  get(token: string, version: number): CachedToken | undefined {
    if (version !== this.#version) {
      this.#young = new Map();
      this.#old = new Map();
      this.#seen.fill(0);
      this.#version = version;
      return undefined;
    }
    const hash = tokenHash(token);
    const young = this.#young.get(hash);
    if (young !== undefined && young.token === token) return young;
    if (this.#old.size === 0) return undefined;
    const old = this.#old.get(hash);
    if (old === undefined || old.token !== token) return undefined;
    this.#old.delete(hash);
    this.#add(hash, old);
    return old;
  }

  /**
   * Whether a token that has just verified should be stored: true if it verified before (recently
   * enough to still be in the filter); otherwise it is only remembered as seen. Nothing is
   * allocated either way, so the caller builds the entry only when it is admitted.
   */
  admits(token: string, version: number): boolean {
    // A token verified against an older key set is not cached into the new one.
    if (version !== this.#version) return false;
    const hash = tokenHash(token);
    const slot = hash & this.#seenMask;
    if (this.#seen[slot] === hash + 1) return true;
    this.#seen[slot] = hash + 1;
    return false;
  }

  /** Stores a verified token (admitted or not: see {@link admits}). */
  set(entry: CachedToken, version: number): void {
    if (version === this.#version) this.#add(tokenHash(entry.token), entry);
  }

  delete(token: string): void {
    const hash = tokenHash(token);
    if (this.#young.get(hash)?.token === token) this.#young.delete(hash);
    if (this.#old.get(hash)?.token === token) this.#old.delete(hash);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #add(hash: number, entry: CachedToken): void {
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(hash, entry);
  }
}
