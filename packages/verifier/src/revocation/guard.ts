import type { JWTPayload } from "@sigil/jwt";
import { VerifierError } from "../errors/verifier-error.js";
import type { FetchFunction } from "../lib/http.js";
import type { VerifierLogger } from "../lib/logger.js";
import { checkDuration, invalidOption } from "../lib/options.js";
import { repeat, type TimersLike } from "../lib/timers.js";
import { connectRevocationFeed, type RevocationFeed } from "./feed-client.js";
import { createIntrospectionClient, type IntrospectionClient } from "./introspection.js";
import { createRevocationMirror, type RevocationMirror } from "./mirror.js";

/** The revocation settings of a verifier. */
export interface RevocationOptions {
  /** The feed URL; default: the issuer metadata's `sigil_revocation_feed_endpoint`. */
  feedUrl?: string;
  /** A client registered at the auth server, allowed to read the feed and to introspect. */
  clientId: string;
  clientSecret: string;
  /** The mirror is stale when the feed has been silent this long (default 30 s). */
  staleAfterMs?: number;
  /** While stale: refuse every token (default), or ask the introspection endpoint (verifyAsync only). */
  onStale?: "fail-closed" | "introspect";
  introspection?: {
    /** Default: the issuer metadata's `introspection_endpoint`. */
    endpoint?: string;
    /** How long an introspection answer is reused for one token (default 5 s). */
    cacheMs?: number;
  };
  /** Reconnection tuning of the feed client. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

export interface RevocationGuardStats {
  mirrorFresh: boolean;
  lastHeardAgoMs: number | null;
  revokedSessions: number;
  revokedUsers: number;
  introspections: number;
  lastEventId: number | null;
  feedConnections: number;
}

/** Applies the revocation mirror and the staleness policy to verified tokens. */
export interface RevocationGuard {
  /** Throws TOKEN_REVOKED, or REVOCATION_STALE while the mirror is stale. */
  check(payload: JWTPayload): void;
  /** Like check(), but while stale under "introspect" returns a promise that settles after introspection. */
  checkOrIntrospect(payload: JWTPayload, token: string): Promise<void> | undefined;
  /** Starts the feed once its URL is known (possibly after discovery). */
  start(endpoints: { feedUrl: string; introspectionEndpoint?: string }): void;
  ready(): Promise<void>;
  /** True once a snapshot has been applied. */
  readonly synced: boolean;
  stats(): RevocationGuardStats;
  close(): void;
}

export interface RevocationGuardContext {
  fetch: FetchFunction;
  now: () => number;
  timers: TimersLike;
  logger: VerifierLogger;
}

/**
 * The revocation check that runs on every verification, after the verified-token cache (which
 * may only skip signature and claim work, never this). Fresh means: a snapshot has been applied
 * and the feed was heard from within `staleAfterMs`. A mirror known to be stale never accepts
 * silently: the policy decides, and every change of freshness is logged once.
 */
export function createRevocationGuard(options: RevocationOptions, context: RevocationGuardContext): RevocationGuard {
  const { now, timers, logger } = context;
  const staleAfterMs = checkDuration("revocation.staleAfterMs", options.staleAfterMs ?? 30_000, { min: 1 });
  const policy = options.onStale ?? "fail-closed";
  if (policy !== "fail-closed" && policy !== "introspect") {
    throw invalidOption("revocation.onStale", 'must be "fail-closed" or "introspect"');
  }
  checkDuration("revocation.introspection.cacheMs", options.introspection?.cacheMs ?? 5000, { min: 0, max: 60_000 });
  const mirror: RevocationMirror = createRevocationMirror({ now, timers });
  let feed: RevocationFeed | undefined;
  let introspector: IntrospectionClient | undefined;
  let introspections = 0;
  let startedResolve: (() => void) | undefined;
  const started = new Promise<void>((resolve) => {
    startedResolve = resolve;
  });

  const createdAt = now();
  let wasFresh: boolean | undefined; // undefined while starting up

  /** Fresh or not, now; logs each transition once (and a failure to sync only after a grace of staleAfterMs). */
  function fresh(nowMs: number): boolean {
    const heard = feed?.lastHeardAt;
    const isFresh = feed?.synced === true && heard !== undefined && nowMs - heard <= staleAfterMs;
    if (isFresh === wasFresh) return isFresh;
    if (isFresh) {
      if (wasFresh === false) logger.warn("revocation mirror is fresh again: tokens are checked against it");
      wasFresh = true;
    } else if (wasFresh === true || nowMs - createdAt > staleAfterMs) {
      wasFresh = false;
      const silence = heard === undefined ? "no snapshot received yet" : `no feed event for ${nowMs - heard} ms`;
      const action = policy === "introspect" ? "falling back to introspection" : "refusing every token (fail-closed)";
      logger.warn(`revocation mirror is STALE (${silence}, bound ${staleAfterMs} ms): ${action}`);
    }
    return isFresh;
  }

  function stale(nowMs: number): VerifierError {
    const heard = feed?.lastHeardAt;
    return new VerifierError(
      "REVOCATION_STALE",
      `the revocation mirror is stale (${heard === undefined ? "no snapshot yet" : `last feed event ${nowMs - heard} ms ago`}, bound ${staleAfterMs} ms)`,
      {
        staleForMs: heard === undefined ? undefined : nowMs - heard,
        introspectable: policy === "introspect" && introspector !== undefined,
      },
    );
  }

  function checkMirror(payload: JWTPayload): void {
    const reason = mirror.isRevoked(payload);
    if (reason !== null) {
      const explanation =
        reason === "session"
          ? "the token's session was ended (sid revoked)"
          : "the user's tokens issued before a cut-off were revoked (iat too old)";
      throw new VerifierError("TOKEN_REVOKED", explanation, { revocation: reason });
    }
  }

  // Logs a transition even when no request arrives to notice it.
  const stopMonitor = repeat(timers, 1000, () => fresh(now()));

  return {
    check(payload) {
      // A stale mirror still knows the revocations it has: those are refused first, by code.
      checkMirror(payload);
      const nowMs = now();
      if (!fresh(nowMs)) throw stale(nowMs);
    },
    checkOrIntrospect(payload, token) {
      checkMirror(payload);
      const nowMs = now();
      if (fresh(nowMs)) return undefined;
      if (policy !== "introspect" || introspector === undefined) throw stale(nowMs);
      introspections++;
      return introspector(token).then((active) => {
        if (!active) throw new VerifierError("TOKEN_INACTIVE", "introspection says the token is not active");
      });
    },
    start({ feedUrl, introspectionEndpoint }) {
      if (feed !== undefined) return;
      if (policy === "introspect" && introspectionEndpoint === undefined) {
        logger.warn(
          'onStale is "introspect" but no introspection endpoint is known: a stale mirror refuses every token',
        );
      }
      if (policy === "introspect" && introspectionEndpoint !== undefined) {
        introspector = createIntrospectionClient({
          endpoint: introspectionEndpoint,
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          cacheMs: options.introspection?.cacheMs,
          fetch: context.fetch,
          now,
          timers,
        });
      }
      feed = connectRevocationFeed({
        url: feedUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        mirror,
        fetch: context.fetch,
        now,
        timers,
        // Reconnect after half the staleness bound of silence, so a dead TCP peer is replaced before the mirror goes stale.
        idleTimeoutMs: Math.max(staleAfterMs / 2, 1000),
        initialDelayMs: options.reconnect?.initialDelayMs,
        maxDelayMs: options.reconnect?.maxDelayMs,
        onError: (error) => logger.warn(`revocation feed: ${error.message}`),
      });
      startedResolve?.();
    },
    ready: () => started.then(() => feed?.ready()),
    get synced() {
      return feed?.synced === true;
    },
    stats() {
      const nowMs = now();
      const heard = feed?.lastHeardAt;
      return {
        mirrorFresh: fresh(nowMs),
        lastHeardAgoMs: heard === undefined ? null : nowMs - heard,
        revokedSessions: mirror.revokedSessions,
        revokedUsers: mirror.revokedUsers,
        introspections,
        lastEventId: feed?.lastEventId ?? null,
        feedConnections: feed?.connections ?? 0,
      };
    },
    close() {
      stopMonitor();
      feed?.close();
      mirror.close();
    },
  };
}
