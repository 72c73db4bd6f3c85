import type { JWSAlgorithm, JWSHeader, JWTPayload, VerificationKey, VerificationKeySet } from "../types.js";

/** Options of {@link createVerifier}. Validated once; an unknown or invalid option throws OPTIONS_INVALID. */
export interface VerifierOptions {
  /** The algorithm allow-list (RFC 8725 §3.1). Required and non-empty; `none` is refused. */
  readonly algorithms: readonly JWSAlgorithm[];
  /** The keys that may verify: a key set (for rotation) or a fixed list. */
  readonly keys: VerificationKeySet | readonly VerificationKey[];
  /** Expected `iss`: one issuer or any of several (RFC 7519 §4.1.1). */
  readonly issuer?: string | readonly string[];
  /** Expected audience: the token's `aud` must contain one of these (RFC 7519 §4.1.3). */
  readonly audience?: string | readonly string[];
  /** Expected `sub`. */
  readonly subject?: string;
  /** Expected `typ` header, e.g. "at+jwt" (RFC 9068 §2.1); compared case-insensitively, "application/" optional. */
  readonly typ?: string;
  /** Seconds of clock skew allowed for exp, nbf and iat. Default 30 (DEFAULT_CLOCK_TOLERANCE). */
  readonly clockTolerance?: number;
  /** Maximum age in seconds since `iat` (which becomes required). */
  readonly maxTokenAge?: number;
  /** Claims that must be present. */
  readonly requiredClaims?: readonly string[];
  /** Refuse tokens without `exp` (CLAIM_MISSING). Default true. */
  readonly requireExpiry?: boolean;
  /** Longest token accepted, in bytes, checked before any decoding. Default 8192. */
  readonly maxTokenSize?: number;
  /** The verified-token cache: on by default with 10 000 entries; `false` turns it off. */
  readonly cache?: false | { readonly maxEntries?: number };
  /** The clock in milliseconds since 1970 (tests freeze it). Default Date.now. */
  readonly now?: () => number;
}

/** What a successful verification returns. Treat it as read-only: with the cache on, it is shared and frozen. */
export interface VerifiedToken {
  readonly header: JWSHeader;
  readonly payload: JWTPayload;
  /** The held key whose signature check passed. */
  readonly key: VerificationKey;
}

/** A verifier built by {@link createVerifier}: synchronous, throws JWTError. */
export type Verifier = (token: string) => VerifiedToken;
