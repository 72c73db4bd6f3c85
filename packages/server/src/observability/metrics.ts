import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** What the hash-queue gauges read at scrape time (the PasswordHasher). */
export interface HashQueueSource {
  readonly queueDepth: number;
  readonly active: number;
  readonly completed: { readonly hash: number; readonly verify: number };
}

/**
 * The server's Prometheus metrics, on a Registry of its own (never prom-client's global one, so
 * two servers in one process — tests — do not collide). Label values must come from a closed
 * set (outcomes, error codes), never from user input, to bound the series count.
 *
 * @example
 * const metrics = new Metrics();
 * metrics.loginsTotal.inc({ outcome: "success" });
 * reply.type(metrics.contentType).send(await metrics.render());
 */
export class Metrics {
  readonly registry: Registry;
  /** outcome: success | invalid_credentials | rate_limited | queue_full | … */
  readonly loginsTotal: Counter<"outcome">;
  /** outcome: rotated | grace | refresh_token_reused | session_revoked | session_expired | unknown_token | wrong_client */
  readonly refreshesTotal: Counter<"outcome">;
  readonly theftDetectionsTotal: Counter;
  /** kind: session | user_before */
  readonly revocationsTotal: Counter<"kind">;
  /** code: the token-check error code (ERR_JWT_EXPIRED, …) */
  readonly tokenCheckFailuresTotal: Counter<"code">;
  readonly passwordHashQueueDepth: Gauge;
  readonly passwordHashActive: Gauge;
  /** kind: hash (registrations, password changes, rehashes) | verify (sign-ins, dummy ones included) */
  readonly passwordHashJobsTotal: Counter<"kind">;
  /** reason: invalid_client | unauthorized_client | feed_client_connection_limit | feed_connection_limit */
  readonly feedRefusalsTotal: Counter<"reason">;
  readonly feedSubscribers: Gauge;
  #hashQueue: HashQueueSource | undefined;
  #feed: { readonly subscriberCount: number } | undefined;

  constructor(options: { processMetrics?: boolean; prefix?: string } = {}) {
    const prefix = options.prefix ?? "sigil_";
    this.registry = new Registry();
    const registers = [this.registry];
    this.loginsTotal = new Counter({
      name: `${prefix}logins_total`,
      help: "Login attempts by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.refreshesTotal = new Counter({
      name: `${prefix}refreshes_total`,
      help: "Refresh-token exchanges by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.theftDetectionsTotal = new Counter({
      name: `${prefix}refresh_token_theft_detections_total`,
      help: "Rotated refresh tokens presented after the grace window (the session was revoked).",
      registers,
    });
    this.revocationsTotal = new Counter({
      name: `${prefix}revocations_total`,
      help: "Revocation records written, by kind.",
      labelNames: ["kind"],
      registers,
    });
    this.tokenCheckFailuresTotal = new Counter({
      name: `${prefix}token_check_failures_total`,
      help: "Access tokens refused by the server's own checks, by error code.",
      labelNames: ["code"],
      registers,
    });
    const metrics = this;
    this.passwordHashQueueDepth = new Gauge({
      name: `${prefix}password_hash_queue_depth`,
      help: "Password-hash jobs waiting for a slot.",
      registers,
      collect() {
        if (metrics.#hashQueue) this.set(metrics.#hashQueue.queueDepth);
      },
    });
    this.passwordHashActive = new Gauge({
      name: `${prefix}password_hash_active`,
      help: "Password-hash jobs running now.",
      registers,
      collect() {
        if (metrics.#hashQueue) this.set(metrics.#hashQueue.active);
      },
    });
    this.passwordHashJobsTotal = new Counter({
      name: `${prefix}password_hash_jobs_total`,
      help: "Password-hash jobs finished, by kind: hash (a new hash) or verify.",
      labelNames: ["kind"],
      registers,
      collect() {
        const source = metrics.#hashQueue;
        if (!source) return;
        this.reset();
        this.inc({ kind: "hash" }, source.completed.hash);
        this.inc({ kind: "verify" }, source.completed.verify);
      },
    });
    this.feedRefusalsTotal = new Counter({
      name: `${prefix}feed_refusals_total`,
      help: "Revocation-feed subscriptions refused, by reason.",
      labelNames: ["reason"],
      registers,
    });
    this.feedSubscribers = new Gauge({
      name: `${prefix}feed_subscribers`,
      help: "Verifiers subscribed to the revocation feed now.",
      registers,
      collect() {
        if (metrics.#feed) this.set(metrics.#feed.subscriberCount);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** Reads the hash-queue gauges from `source` (the PasswordHasher) at every scrape. */
  observeHashQueue(source: HashQueueSource): void {
    this.#hashQueue = source;
  }

  /** Reads the feed-subscribers gauge from `source` (the RevocationFeedHub) at every scrape. */
  observeFeed(source: { readonly subscriberCount: number }): void {
    this.#feed = source;
  }

  /** The Content-Type of {@link render}'s output (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
