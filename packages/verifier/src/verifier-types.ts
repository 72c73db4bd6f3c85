import type { JWSAlgorithm, JWSHeader, VerificationKey, VerificationKeySet } from "@sigil/jwt";
import type { AccessTokenPayload } from "@sigil/protocol";
import type { FetchFunction } from "./lib/http.js";
import type { VerifierLogger } from "./lib/logger.js";
import type { TimersLike } from "./lib/timers.js";
import type { RemoteJWKSOptions } from "./remote-jwks.js";
import type { RevocationOptions } from "./revocation/guard.js";

/** A verified access token. Shared and frozen when it comes from the cache: treat it as read-only. */
export interface VerifiedAccessToken {
  readonly header: JWSHeader;
  readonly payload: AccessTokenPayload;
  readonly key: VerificationKey;
}

export interface AccessTokenVerifierOptions {
  /** The auth server's issuer identifier: the `iss` every token must carry, and where metadata is discovered. */
  issuer: string;
  /**
   * This service's audience: the token's `aud` must contain it (or one of them). Required: a
   * verifier that accepts any audience accepts tokens minted for every other service of the same
   * issuer. `false` is the explicit opt-out, for a service that truly serves them all.
   */
  audience: string | readonly string[] | false;
  /**
   * Whose tokens this service accepts: "users" (default) — tokens that act for a user, with a
   * session; "services" — service-to-service (client_credentials) tokens only; "both". A token of
   * the other kind is refused with SUBJECT_NOT_ACCEPTED.
   */
  subjects?: "users" | "services" | "both";
  /** The algorithm allow-list (RFC 8725 §3.1). */
  algorithms: readonly JWSAlgorithm[];
  /** The JWKS URL; default: discovered from the issuer's metadata. */
  jwksUri?: string;
  /** Fixed keys instead of a remote JWKS. */
  keys?: VerificationKeySet | readonly VerificationKey[];
  /** Expected `typ` header (default "at+jwt", RFC 9068 §2.1). */
  typ?: string;
  /** Seconds of clock skew allowed (default 30, @sigil/jwt's). */
  clockTolerance?: number;
  maxTokenAge?: number;
  /** Default: the claims RFC 9068 §2.2 requires (iss, exp, aud, sub, client_id, iat, jti). */
  requiredClaims?: readonly string[];
  /** Instant revocation through the auth server's feed, or `false` to accept tokens until they expire. */
  revocation: RevocationOptions | false;
  /** Tuning of the remote JWKS (cool-down, refresh bounds). */
  jwks?: Pick<RemoteJWKSOptions, "cooldownMs" | "minRefreshMs" | "maxRefreshMs" | "maxAgeFallbackMs" | "timeoutMs">;
  /** The verified-token cache of @sigil/jwt (default on). Revocation is checked after it on every call. */
  cache?: false | { maxEntries?: number };
  /** Allow plain-http URLs other than loopback (never in production: keys could be swapped in transit). */
  allowHttp?: boolean;
  fetch?: FetchFunction;
  /** The clock in milliseconds (default Date.now). */
  now?: () => number;
  /**
   * The timers of everything the verifier does in the background — JWKS refreshes, the feed's
   * watchdog and reconnections, the staleness monitor, the mirror's sweep, discovery retries,
   * request timeouts (default Node's, unref'd: they never keep a process alive). Tests pass fakes
   * together with `now`, and move time instead of waiting for it.
   */
  timers?: TimersLike;
  /** Where freshness changes and background failures are reported (default console.warn, silent under tests). */
  logger?: VerifierLogger;
}

/** Metrics of a verifier, for a /metrics endpoint or a health check. */
export interface VerifierStats {
  /** A snapshot was applied and the feed was heard from within staleAfterMs (false without revocation). */
  mirrorFresh: boolean;
  /** Milliseconds since the last feed event (heartbeats included); null if none yet. */
  lastHeardAgoMs: number | null;
  revokedSessions: number;
  revokedUsers: number;
  /** Rejected tokens per error code (JWTError and VerifierError codes). */
  rejectionsByCode: Record<string, number>;
  /** Tokens decided through introspection while the mirror was stale (cached answers included). */
  introspections: number;
  /** Changes whenever the key set changes. */
  jwksVersion: number;
  /** JWKS requests made so far. */
  jwksFetches: number;
}

/** A token verifier for a resource service. */
export interface AccessTokenVerifier {
  /**
   * Resolves when keys are loaded and (with revocation) the first snapshot is applied. Rejects
   * with the first failure (DISCOVERY_FAILED, JWKS_UNAVAILABLE, FEED_UNAVAILABLE) if one comes
   * first; the verifier keeps retrying in the background, and a later call resolves once it has.
   */
  ready(): Promise<void>;
  /** Synchronous: signature, claims, then revocation. Throws JWTError or VerifierError with a stable code. */
  verify(token: string): VerifiedAccessToken;
  /** Like verify(), but while the mirror is stale under `onStale: "introspect"` asks the auth server. */
  verifyAsync(token: string): Promise<VerifiedAccessToken>;
  stats(): VerifierStats;
  close(): void;
}
