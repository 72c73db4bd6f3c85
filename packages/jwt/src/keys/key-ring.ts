import { JWTError } from "../errors/jwt-error.js";
import type { JWKS, SigningKey, VerificationKey, VerificationKeySet } from "../types.js";
import { exportJWK } from "./export-jwk.js";
import type { KeyPair } from "./key-pair.js";

/** One key in a {@link KeyRing}: always verifiable, optionally able to sign. Times in ms since 1970. */
export interface KeyRingEntry {
  /** Absent for keys this ring only verifies (for example an old key whose private half is gone). */
  signing?: SigningKey;
  verification: VerificationKey;
  /** When the key starts signing. Default: now. Published (in find/toJWKS) from the moment it is added. */
  activatesAt?: number;
  /** When the key stops signing. Default: never. */
  retiresAt?: number;
  /** How long after retiresAt the key stays published before prune() drops it. Default: forever. */
  retainMs?: number;
}

/** Options of {@link KeyRing.rotate}. */
export interface RotateOptions {
  /** The new key is published this long before it signs: at least the JWKS cache max-age. */
  publishLeadMs: number;
  /** The old key stays published this long after it stops signing: at least access-token TTL + clock tolerance. */
  retainMs: number;
}

interface Entry {
  readonly signing: SigningKey | undefined;
  readonly verification: VerificationKey;
  /** find()'s answer for this kid, built once: find() is on the verifier's hot path. */
  readonly found: readonly VerificationKey[];
  readonly activatesAt: number;
  retiresAt: number;
  retainMs: number;
  readonly order: number;
}

const none: readonly VerificationKey[] = Object.freeze([]);

/**
 * The keys of an issuer: one active signing key and every key a verifier may still need.
 *
 * Rotation invariant (see {@link KeyRing.rotate}): a key is published from the moment it is added
 * and signs only from `activatesAt` = now + publishLeadMs, so a verifier that refreshes its JWKS
 * at least every publishLeadMs holds every signing key before the first token it signs; a key
 * that stops signing at `retiresAt` stays published until retiresAt + retainMs, so with retainMs
 * >= token TTL + clock tolerance every token's key stays published until the token has expired.
 * HMAC keys may sign and verify here but are never published in {@link KeyRing.toJWKS}.
 *
 * @example
 * const ring = new KeyRing();
 * ring.add(await generateKeyPair());
 * ring.rotate(await generateKeyPair(), { publishLeadMs: 10 * 60_000, retainMs: 20 * 60_000 });
 * signJWT(claims, ring.signingKey, { expiresIn: 900 });
 */
export class KeyRing implements VerificationKeySet {
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  #version = 0;
  #order = 0;
  #all: readonly VerificationKey[] = none;
  #jwks: JWKS | undefined;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Changes on every add, remove, rotate and effective prune, so verified-token caches drop. */
  get version(): number {
    return this.#version;
  }

  /** Adds a key (a {@link KeyPair} fits). Its kid must be new to the ring. */
  add(entry: KeyRingEntry): void {
    const { signing, verification } = entry;
    if (this.#entries.has(verification.kid)) {
      throw new JWTError(
        "OPTIONS_INVALID",
        `the key ring already holds a key with kid ${JSON.stringify(verification.kid)}`,
        {
          kid: verification.kid,
        },
      );
    }
    if (signing !== undefined && (signing.kid !== verification.kid || signing.alg !== verification.alg)) {
      throw new JWTError("OPTIONS_INVALID", "the signing and verification keys of an entry must share kid and alg", {
        kid: verification.kid,
      });
    }
    const activatesAt = entry.activatesAt ?? this.#now();
    const retiresAt = entry.retiresAt ?? Number.POSITIVE_INFINITY;
    const retainMs = entry.retainMs ?? Number.POSITIVE_INFINITY;
    if (typeof activatesAt !== "number" || !Number.isFinite(activatesAt)) {
      throw new JWTError("OPTIONS_INVALID", "activatesAt must be a finite time in milliseconds", {
        option: "activatesAt",
      });
    }
    if (typeof retiresAt !== "number" || Number.isNaN(retiresAt) || retiresAt < activatesAt) {
      throw new JWTError("OPTIONS_INVALID", "retiresAt must be a time no earlier than activatesAt", {
        option: "retiresAt",
      });
    }
    if (typeof retainMs !== "number" || Number.isNaN(retainMs) || retainMs < 0) {
      throw new JWTError("OPTIONS_INVALID", "retainMs must be a non-negative number of milliseconds", {
        option: "retainMs",
      });
    }
    this.#entries.set(verification.kid, {
      signing,
      verification,
      found: Object.freeze([verification]),
      activatesAt,
      retiresAt,
      retainMs,
      order: this.#order++,
    });
    this.#changed();
  }

  /** Removes a key at once (for a compromised key: tokens it signed stop verifying). */
  remove(kid: string): boolean {
    const removed = this.#entries.delete(kid);
    if (removed) this.#changed();
    return removed;
  }

  /**
   * The key to sign with now: of the keys with activatesAt <= now < retiresAt, the one that
   * activated last (the most recently added on a tie).
   *
   * @throws JWTError KEY_NOT_FOUND when no key is active.
   */
  get signingKey(): SigningKey {
    const now = this.#now();
    let best: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.signing === undefined || entry.activatesAt > now || entry.retiresAt <= now) continue;
      if (
        best === undefined ||
        entry.activatesAt > best.activatesAt ||
        (entry.activatesAt === best.activatesAt && entry.order > best.order)
      ) {
        best = entry;
      }
    }
    if (best?.signing === undefined) {
      throw new JWTError(
        "KEY_NOT_FOUND",
        `the key ring has no active signing key at ${new Date(now).toISOString()} (${this.#entries.size} keys held): add a key whose activatesAt has passed and that is not retired`,
      );
    }
    return best.signing;
  }

  /** Every key this ring publishes (including not-yet-active keys and retired ones within their grace). */
  find(kid: string | undefined): readonly VerificationKey[] {
    if (kid === undefined) return this.#all;
    const entry = this.#entries.get(kid);
    return entry === undefined ? none : entry.found;
  }

  /** The JWKS document (RFC 7517 §5): public members of the asymmetric keys only, never HMAC secrets. */
  toJWKS(): JWKS {
    if (this.#jwks === undefined) {
      const keys = [];
      for (const { verification } of this.#entries.values()) {
        if (verification.key.type === "secret") continue;
        keys.push(Object.freeze(exportJWK(verification.key, { alg: verification.alg, kid: verification.kid })));
      }
      this.#jwks = Object.freeze({ keys: Object.freeze(keys) as JWKS["keys"] });
    }
    return this.#jwks;
  }

  /**
   * Starts a rotation: `next` is published now and signs from T = now + publishLeadMs; every
   * key that would still sign at T retires at T and stays published until T + retainMs.
   */
  rotate(next: KeyPair | { signing: SigningKey; verification: VerificationKey }, options: RotateOptions): void {
    for (const name of ["publishLeadMs", "retainMs"] as const) {
      const value = options[name];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new JWTError("OPTIONS_INVALID", `${name} must be a finite, non-negative number of milliseconds`, {
          option: name,
        });
      }
    }
    const switchAt = this.#now() + options.publishLeadMs;
    this.prune();
    this.add({ signing: next.signing, verification: next.verification, activatesAt: switchAt });
    for (const entry of this.#entries.values()) {
      if (entry.signing === undefined || entry.verification.kid === next.verification.kid) continue;
      if (entry.retiresAt > switchAt) {
        entry.retiresAt = Math.max(switchAt, entry.activatesAt);
        entry.retainMs = options.retainMs;
      }
    }
    this.#changed();
  }

  /** Drops keys whose retiresAt + retainMs has passed. Returns the kids dropped. */
  prune(): string[] {
    const now = this.#now();
    const dropped: string[] = [];
    for (const [kid, entry] of this.#entries) {
      if (entry.retiresAt + entry.retainMs < now) dropped.push(kid);
    }
    for (const kid of dropped) this.#entries.delete(kid);
    if (dropped.length > 0) this.#changed();
    return dropped;
  }

  #changed(): void {
    this.#version++;
    this.#jwks = undefined;
    this.#all = Object.freeze([...this.#entries.values()].map((entry) => entry.verification));
  }
}
