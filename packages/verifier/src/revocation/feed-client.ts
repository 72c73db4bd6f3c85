import { createSSEParser, readFeedEvent, type ServerSentEvent } from "@sigil/protocol";
import { VerifierError } from "../errors/verifier-error.js";
import { basicAuthorization, describeError, type FetchFunction } from "../lib/http.js";
import { systemTimers, type TimersLike } from "../lib/timers.js";
import type { RevocationMirror } from "./mirror.js";

export interface RevocationFeedOptions {
  /** The feed endpoint (`sigil_revocation_feed_endpoint`). */
  url: string;
  /** A client registered at the auth server (HTTP Basic, RFC 6749 §2.3.1). */
  clientId: string;
  clientSecret: string;
  mirror: RevocationMirror;
  fetch?: FetchFunction;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Timers of the watchdog, the connect timeout and the reconnection back-off (default Node's, unref'd). */
  timers?: TimersLike;
  /** Abort a connection that has been silent this long (default 30 s), so a dead TCP peer is noticed. */
  idleTimeoutMs?: number;
  /** Timeout for the response headers (default 10 s). */
  connectTimeoutMs?: number;
  /** First reconnection delay when the server sent no `retry:` (default 1 s); doubles per failure. */
  initialDelayMs?: number;
  /** Cap of the reconnection delay (default 30 s). */
  maxDelayMs?: number;
  /** Called for each connection failure; the client keeps reconnecting. */
  onError?: (error: VerifierError) => void;
}

/** A subscription to the auth server's revocation feed, applied to a mirror. */
export interface RevocationFeed {
  /** Resolves when the first snapshot is applied; rejects (FEED_UNAVAILABLE) if the first connection fails. Retries go on. */
  ready(): Promise<void>;
  /** True once a snapshot has been applied: before that the mirror knows nothing and is stale. */
  readonly synced: boolean;
  /** When an event (revocation, snapshot or heartbeat) was last received, in ms; undefined if never. */
  readonly lastHeardAt: number | undefined;
  /** The id of the last revocation applied (sent as Last-Event-ID when reconnecting). */
  readonly lastEventId: number | undefined;
  /** Connections opened so far. */
  readonly connections: number;
  close(): void;
}

/**
 * Subscribes to the revocation feed (Server-Sent Events, WHATWG HTML §9.2): applies the snapshot
 * (replacing the mirror) and each revocation once (ids at or below the last applied are ignored),
 * and reconnects after any failure with a jittered, capped exponential backoff, sending
 * `Last-Event-ID` so that the server resends exactly what was missed.
 */
export function connectRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const authorization = basicAuthorization(options.clientId, options.clientSecret);
  const { mirror } = options;

  let synced = false;
  let lastHeardAt: number | undefined;
  let lastEventId: number | undefined;
  let connections = 0;
  let failures = 0;
  let retryMs = options.initialDelayMs ?? 1000;
  let closed = false;
  let controller: AbortController | undefined;
  let reconnectTimer: unknown;
  let watchdog: unknown;
  /** Ends the current stream. Aborting the fetch alone does not always end a pending body read, so the reader is cancelled too. */
  let stopStream: ((reason: Error) => void) | undefined;
  let settle: { resolve: () => void; reject: (error: VerifierError) => void } | undefined;
  const readyPromise = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  readyPromise.catch(() => {}); // observed through ready()

  function fail(message: string, details: { status?: number } = {}, cause?: unknown): VerifierError {
    const error = new VerifierError(
      "FEED_UNAVAILABLE",
      `${options.url}: ${message}`,
      { url: options.url, ...details },
      cause,
    );
    options.onError?.(error);
    settle?.reject(error);
    settle = undefined;
    return error;
  }

  function onEvent(event: ServerSentEvent): void {
    // A malformed event throws here, before it counts as hearing from the server: the connection
    // is dropped, and a server that keeps resending it leaves the mirror to go stale rather than
    // look fresh while it misses a revocation.
    const read = readFeedEvent(event);
    lastHeardAt = now();
    if (read.type === "snapshot") {
      mirror.replace(read.snapshot.revocations);
      lastEventId = read.snapshot.lastEventId;
      synced = true;
      settle?.resolve();
      settle = undefined;
      return;
    }
    if (read.type === "revocation") {
      const { entry } = read;
      // Apply each id once; a resent or reordered older id is already in the mirror.
      if (lastEventId !== undefined && entry.id <= lastEventId) return;
      mirror.add(entry);
      lastEventId = entry.id;
    }
    // Heartbeats and other event types change nothing, but still count as hearing from the server.
  }

  function armWatchdog(): void {
    timers.clearTimeout(watchdog);
    watchdog = timers.setTimeout(() => stopStream?.(new Error(`no event for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  }

  /** One connection; resolves true if at least one event was received on it. */
  async function connect(): Promise<boolean> {
    controller = new AbortController();
    const signal = controller.signal;
    connections++;
    const headers: Record<string, string> = {
      accept: "text/event-stream",
      authorization,
      "cache-control": "no-store",
    };
    if (lastEventId !== undefined) headers["last-event-id"] = String(lastEventId);
    const connectTimer = timers.setTimeout(() => controller?.abort(new Error("connect timeout")), connectTimeoutMs);
    let response: Response;
    try {
      response = await fetchFn(options.url, { headers, signal, redirect: "error" });
    } catch (cause) {
      throw fail(`connection failed (${describeError(cause)})`, {}, cause);
    } finally {
      timers.clearTimeout(connectTimer);
    }
    const type = response.headers.get("content-type") ?? "";
    if (response.status !== 200 || !type.toLowerCase().startsWith("text/event-stream") || !response.body) {
      await response.body?.cancel().catch(() => {});
      const hint = response.status === 401 || response.status === 403 ? " (check clientId/clientSecret)" : "";
      throw fail(`answered HTTP ${response.status} ${type}${hint}`, { status: response.status });
    }
    let heardOnThisConnection = false;
    const parser = createSSEParser({
      onEvent(event) {
        onEvent(event);
        if (!heardOnThisConnection) {
          heardOnThisConnection = true;
          failures = 0; // a working connection resets the backoff
        }
        // Until a snapshot arrives, heartbeats do not prove the stream useful: without one the
        // mirror stays stale, so such a connection is replaced after idleTimeoutMs.
        if (synced) armWatchdog();
      },
      onRetry(ms) {
        retryMs = ms;
      },
    });
    const reader = response.body.getReader();
    const connection = controller;
    let stopped: Error | undefined;
    stopStream = (reason) => {
      stopped = reason;
      reader.cancel(reason).catch(() => {});
      connection.abort(reason);
    };
    armWatchdog();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      if (stopped) throw stopped;
      parser.end();
    } catch (cause) {
      if (!closed) throw fail(`stream ended badly (${describeError(stopped ?? cause)})`, {}, cause);
    } finally {
      timers.clearTimeout(watchdog);
      stopStream = undefined;
      connection.abort();
    }
    return heardOnThisConnection;
  }

  function loop(): void {
    if (closed) return;
    connect().then(
      (heard) => {
        if (!heard) failures++; // a server that accepts and hangs up at once must not make us spin
        schedule();
      },
      () => {
        failures++;
        schedule();
      },
    );
  }

  /** Full jitter within [delay/2, delay], so that verifiers cut off together do not reconnect in lockstep. */
  function schedule(): void {
    if (closed) return;
    const delay = Math.min(maxDelayMs, retryMs * 2 ** Math.min(failures, 16));
    reconnectTimer = timers.setTimeout(loop, delay / 2 + Math.random() * (delay / 2));
  }

  loop();

  return {
    ready: () => readyPromise,
    get synced() {
      return synced;
    },
    get lastHeardAt() {
      return lastHeardAt;
    },
    get lastEventId() {
      return lastEventId;
    },
    get connections() {
      return connections;
    },
    close() {
      closed = true;
      timers.clearTimeout(reconnectTimer);
      timers.clearTimeout(watchdog);
      stopStream?.(new Error("closed"));
      controller?.abort();
      settle?.reject(new VerifierError("FEED_UNAVAILABLE", "the feed client was closed"));
      settle = undefined;
    },
  };
}
