import type { JWSHeader, VerificationKey } from "../types.js";
import type { VerifiedToken } from "./verifier-options.js";

/**
 * What is kept of a verified token: its time claims (re-checked on every hit) and, from its first
 * hit on, its frozen result. Until then the claims are not kept at all — the first hit parses
 * them again from the token, which is the Map key anyway — so a cache miss costs no more than
 * no cache (nothing parsed twice, nothing frozen), and the caller of the miss gets claims of its
 * own that no later caller shares.
 */
export interface CachedToken {
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
  readonly header: JWSHeader;
  readonly key: VerificationKey;
  /** Built, frozen, on the first hit, then shared by every later hit. */
  result: VerifiedToken | undefined;
}

/**
 * The verified-token cache (issue 2 §2): the same access token is presented many times in its
 * life, so its signature is checked once. Keyed by the whole token string (a Map lookup is the
 * cheapest exact match there is). Holds only tokens that fully verified; the caller re-runs the
 * clock-dependent claim checks on every hit, so an entry is never returned after `exp` — and an
 * expired entry is dropped as soon as it is seen. The whole cache is dropped when the key set's
 * version changes (a removed key must stop verifying at once).
 *
 * Bounded with two generations of maxEntries/2 each: new entries go into the young one; when it
 * is full it becomes the old one and the previous old one is dropped whole; a hit in the old
 * generation moves the entry back to the young one. That is LRU-like without per-entry deletes
 * (deleting from the front of a Map makes V8 skip the holes on every later eviction, which
 * cost more than a signature check) and keeps a cache miss as cheap as two Map lookups.
 */
export class TokenCache {
  readonly #generationSize: number;
  #young = new Map<string, CachedToken>();
  #old = new Map<string, CachedToken>();
  #version: number;

  /** Holds at most `maxEntries` tokens (at least 2). */
  constructor(maxEntries: number, version: number) {
    this.#generationSize = Math.max(1, Math.floor(maxEntries / 2));
    this.#version = version;
  }

  /** The cached result for this token, if the key set is still at the cached version. */
  get(token: string, version: number): CachedToken | undefined {
    if (version !== this.#version) {
      this.#young = new Map();
      this.#old = new Map();
      this.#version = version;
      return undefined;
    }
    const young = this.#young.get(token);
    if (young !== undefined || this.#old.size === 0) return young;
    const old = this.#old.get(token);
    if (old !== undefined) {
      this.#old.delete(token);
      this.#add(token, old);
    }
    return old;
  }

  set(token: string, entry: CachedToken, version: number): void {
    // A token verified against an older key set is not cached into the new one.
    if (version === this.#version) this.#add(token, entry);
  }

  delete(token: string): void {
    this.#young.delete(token);
    this.#old.delete(token);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #add(token: string, entry: CachedToken): void {
    if (this.#young.size >= this.#generationSize) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(token, entry);
  }
}
