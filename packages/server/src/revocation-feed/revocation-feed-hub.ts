import {
  formatRetry,
  heartbeatEvent,
  type RevocationEntry,
  type RevocationReason,
  type RevocationSubject,
  revocationEvent,
  snapshotEvent,
} from "@sigil/protocol";
import type { Database } from "../store/database.js";
import type { TimersLike } from "../timers.js";
import { FETCH_BATCH, selectAfter, selectByIds, selectIdsAfter, selectInForce, selectMaxId } from "./feed-queries.js";
import { type FeedSink, FeedSubscriber } from "./feed-subscriber.js";
import { HubTimers } from "./hub-timers.js";
import { RevocationListener } from "./revocation-listener.js";
import { RevocationSequencer } from "./revocation-sequencer.js";
import { RevocationState } from "./revocation-state.js";

export interface RevocationFeedHubOptions {
  /** `SIGIL_FEED_HEARTBEAT`: seconds between heartbeats (default 5). */
  heartbeatSeconds?: number;
  /** Safety-net poll of max(id), for notifications lost with a dropped LISTEN connection (default 1000 ms). */
  pollIntervalMs?: number;
  /** See RevocationSequencer (default 2000 ms, and 5 min). */
  gapWaitMs?: number;
  lateWindowMs?: number;
  /** Unsent bytes a subscriber may hold before it is cut off (default 1 MiB). */
  maxBufferedBytes?: number;
  /** The `retry:` sent to verifiers, in ms (default 1000, as the protocol says). */
  retryMs?: number;
  /** How often expired entries leave the in-memory state (default 5 s). */
  sweepIntervalMs?: number;
  /** How often the LISTEN connection is probed with a ping of its own (default 10 s). */
  listenerCheckIntervalMs?: number;
  /** The in-memory state counts as current while the database was read this recently (default 3 s). */
  staleAfterMs?: number;
  logger?: HubLogger;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Where the hub's timers run (default Node's, unref'd; tests pass fakes and move time). */
  timers?: TimersLike;
}

export interface HubLogger {
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/**
 * The revocation feed of one server process: the revocations in force held in memory, kept
 * current through LISTEN/NOTIFY (so revocations written by any instance on the same PostgreSQL
 * arrive here), a 1 s poll of max(id) as a safety net, and fanned out to every connected
 * verifier as Server-Sent Events (the feed protocol). The same state answers /auth/verify
 * without a database round trip.
 *
 * @example
 * const hub = await RevocationFeedHub.start(db, { heartbeatSeconds: 5 });
 * hub.subscribe(reply.raw, { lastEventId: request.headers["last-event-id"] });
 * await hub.stop();
 */
export class RevocationFeedHub {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #options: Required<Omit<RevocationFeedHubOptions, "logger" | "now" | "timers">>;
  readonly #logger: HubLogger | undefined;
  readonly #state = new RevocationState();
  readonly #sequencer: RevocationSequencer;
  readonly #subscribers = new Set<FeedSubscriber>();
  /** client id → its open streams. */
  readonly #perClient = new Map<string, number>();
  readonly #timers: HubTimers;
  readonly #listener: RevocationListener;
  /** Resumes at or below this id get a snapshot: a late commit may be missing from them. */
  #resumeFloor = -1;
  #lastSyncAt = 0;
  #syncing: Promise<void> | undefined;
  #syncAgain = false;
  #stopped = false;

  private constructor(db: Database, watermark: number, options: RevocationFeedHubOptions) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#timers = new HubTimers(options.timers);
    this.#logger = options.logger;
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#options = {
      heartbeatSeconds: options.heartbeatSeconds ?? 5,
      pollIntervalMs,
      gapWaitMs: options.gapWaitMs ?? 2000,
      lateWindowMs: options.lateWindowMs ?? 300_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      retryMs: options.retryMs ?? 1000,
      sweepIntervalMs: options.sweepIntervalMs ?? 5000,
      listenerCheckIntervalMs: options.listenerCheckIntervalMs ?? 10_000,
      staleAfterMs: options.staleAfterMs ?? Math.max(3000, 3 * pollIntervalMs),
    };
    this.#listener = new RevocationListener(db, {
      onRevocation: () => void this.sync(),
      checkIntervalMs: this.#options.listenerCheckIntervalMs,
      now: this.#now,
      onReconnect: () => {
        this.#logger?.warn({}, "revocation feed: LISTEN re-established");
        void this.sync();
      },
    });
    this.#sequencer = new RevocationSequencer({
      watermark,
      gapWaitMs: this.#options.gapWaitMs,
      lateWindowMs: this.#options.lateWindowMs,
    });
  }

  /** Loads the revocations in force, subscribes to NOTIFY and starts the timers. */
  static async start(db: Database, options: RevocationFeedHubOptions = {}): Promise<RevocationFeedHub> {
    const watermark = await selectMaxId(db);
    const hub = new RevocationFeedHub(db, watermark, options);
    const entries = await selectInForce(db, watermark);
    for (const entry of entries) hub.#state.add(entry);
    // Ids missing below the watermark may be transactions still in flight: watch them.
    const floor = Math.max(entries[0]?.id ?? watermark, watermark - 1000);
    const present = new Set(await selectIdsAfter(db, floor));
    const holes: number[] = [];
    for (let id = floor + 1; id < watermark; id++) if (!present.has(id)) holes.push(id);
    hub.#sequencer.watch(holes, hub.#now());
    hub.#lastSyncAt = hub.#now();
    await hub.#listener.listen();
    hub.#startTimers();
    await hub.sync(); // rows committed between the load and LISTEN
    return hub;
  }

  /** The id of the last revocation released to subscribers. */
  get lastEventId(): number {
    return this.#sequencer.watermark;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** The streams a client holds open now. */
  subscribersOf(clientId: string): number {
    return this.#perClient.get(clientId) ?? 0;
  }

  /** Entries held in memory. */
  get size(): number {
    return this.#state.size;
  }

  /** True while the database was read recently enough for {@link isRevoked} to be trusted. */
  get fresh(): boolean {
    return !this.#stopped && this.#now() - this.#lastSyncAt <= this.#options.staleAfterMs;
  }

  /**
   * Whether a token is void, from memory (O(1), no I/O). Includes rows still held back behind a
   * sequence gap: ordering matters to the feed, not to this check.
   */
  isRevoked(token: RevocationSubject): RevocationReason | null {
    return this.#state.isRevoked(token);
  }

  /**
   * Attaches a verifier's stream (headers already sent): `retry:`, then the revocations after
   * its Last-Event-ID when that is resumable, else a snapshot; then live events. Synchronous, so
   * no revocation can slip between the catch-up and the live stream.
   */
  subscribe(sink: FeedSink, request: { clientId?: string; lastEventId?: string | undefined } = {}): FeedSubscriber {
    const watermark = this.#sequencer.watermark;
    const subscriber = new FeedSubscriber(sink, watermark, {
      maxBufferedBytes: this.#options.maxBufferedBytes,
      ...(request.clientId !== undefined ? { clientId: request.clientId } : {}),
      onEnd: (ended, reason) => {
        if (this.#subscribers.delete(ended) && ended.clientId !== undefined) {
          const left = (this.#perClient.get(ended.clientId) ?? 1) - 1;
          if (left > 0) this.#perClient.set(ended.clientId, left);
          else this.#perClient.delete(ended.clientId);
        }
        if (reason === "slow") this.#logger?.warn({ reason }, "revocation feed subscriber dropped (cannot keep up)");
      },
    });
    subscriber.write(formatRetry(this.#options.retryMs));
    const n = parseLastEventId(request.lastEventId);
    const minId = this.#state.minId();
    // Protocol: resumable when n >= (min id held) - 1. Also refuse ids this hub has not reached
    // (another history, or an instance ahead of this one) and ids below a late commit.
    if (n !== undefined && n <= watermark && n > this.#resumeFloor && (minId === undefined || n >= minId - 1)) {
      subscriber.lastId = n;
      for (const held of this.#state.entriesAfter(n)) {
        if (held.entry.id > watermark) break;
        subscriber.write(revocationEvent(held.entry.id, held.json));
      }
      subscriber.lastId = watermark;
    } else {
      subscriber.writeLarge(snapshotEvent(watermark, this.#state.snapshotArray(), this.#now()));
    }
    if (!subscriber.ended) {
      this.#subscribers.add(subscriber);
      if (request.clientId !== undefined) {
        this.#perClient.set(request.clientId, (this.#perClient.get(request.clientId) ?? 0) + 1);
      }
    }
    return subscriber;
  }

  /**
   * Reads committed rows after the watermark and releases them in order. Calls are coalesced: a
   * call during a read causes one more read after it, never a parallel one.
   */
  sync(): Promise<void> {
    if (this.#syncing) {
      this.#syncAgain = true;
      return this.#syncing;
    }
    this.#syncing = (async () => {
      try {
        do {
          this.#syncAgain = false;
          await this.#syncOnce();
        } while (this.#syncAgain && !this.#stopped);
      } catch (error) {
        this.#logger?.error({ err: error }, "revocation feed: reading revocations failed");
      } finally {
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  async #syncOnce(): Promise<void> {
    for (let round = 0; round < 20 && !this.#stopped; round++) {
      const rows = await selectAfter(this.#db, this.#sequencer.watermark);
      this.#lastSyncAt = this.#now();
      for (const entry of rows) this.#state.index(entry);
      this.#sequencer.offer(rows);
      const { released, waitMs } = this.#sequencer.release(this.#now());
      for (const entry of released) this.#publish(entry);
      if (waitMs !== undefined) this.#timers.once("gap", waitMs, () => void this.sync());
      if (rows.length < FETCH_BATCH || released.length === 0) return;
    }
  }

  #publish(entry: RevocationEntry): void {
    // Released for ordering's sake, but one that has already expired affects no token.
    if (entry.exp <= this.#now() / 1000) return;
    this.#state.add(entry);
    const held = this.#state.get(entry.id);
    if (!held) return;
    const event = revocationEvent(entry.id, held.json);
    for (const subscriber of this.#subscribers) {
      if (entry.id <= subscriber.lastId) continue;
      subscriber.write(event);
      subscriber.lastId = entry.id;
    }
  }

  /** Ids presumed rolled back that committed after all: resend everything as a snapshot. */
  async #checkLate(): Promise<void> {
    const watched = this.#sequencer.watchedIds(this.#now());
    if (watched.length === 0) return;
    const late = (await selectByIds(this.#db, watched)).filter((entry) => this.#sequencer.takeLate(entry.id));
    if (late.length === 0) return;
    for (const entry of late) this.#state.add(entry);
    const watermark = this.#sequencer.watermark;
    this.#resumeFloor = watermark;
    this.#logger?.warn({ ids: late.map((entry) => entry.id) }, "revocation feed: late commit, resending snapshot");
    const event = snapshotEvent(watermark, this.#state.snapshotArray(), this.#now());
    for (const subscriber of this.#subscribers) {
      subscriber.writeLarge(event);
      subscriber.lastId = watermark;
    }
  }

  async #poll(): Promise<void> {
    await this.#listener.ensure(); // a failed re-listen: try again
    const max = await selectMaxId(this.#db);
    this.#lastSyncAt = this.#now();
    if (max > this.#sequencer.watermark || this.#sequencer.pendingCount > 0) await this.sync();
    await this.#checkLate();
  }

  #startTimers(): void {
    const guard = (what: string, task: () => unknown) => async (): Promise<void> => {
      try {
        await task();
      } catch (error) {
        this.#logger?.error({ err: error }, `revocation feed: ${what} failed`);
      }
    };
    this.#timers.every(
      this.#options.pollIntervalMs,
      guard("poll", () => this.#poll()),
    );
    this.#timers.every(
      this.#options.heartbeatSeconds * 1000,
      guard("heartbeat", () => this.#heartbeat()),
    );
    this.#timers.every(
      this.#options.listenerCheckIntervalMs,
      guard("listener check", () => this.#listener.check()),
    );
    this.#timers.every(
      this.#options.sweepIntervalMs,
      guard("sweep", () => {
        this.#state.sweep(Math.floor(this.#now() / 1000));
      }),
    );
    // Expired rows are deleted by the server's housekeeping (auth/housekeeping.ts), which always
    // keeps the newest row: see deleteExpiredRevocations for why the watermark needs it.
  }

  #heartbeat(): void {
    const event = heartbeatEvent(this.#now());
    for (const subscriber of this.#subscribers) subscriber.write(event);
  }

  /** Ends every stream cleanly (graceful shutdown: verifiers reconnect, to another instance if any). */
  endSubscribers(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.end();
  }

  /** Stops timers and LISTEN and ends every stream. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timers.clear();
    this.endSubscribers();
    await this.#syncing;
    await this.#listener.stop();
  }
}

/** A Last-Event-ID worth resuming from: a decimal integer (anything else gets a snapshot). */
function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
