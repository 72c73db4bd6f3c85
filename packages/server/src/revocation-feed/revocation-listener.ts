import { randomUUID } from "node:crypto";
import type { Database } from "../store/database.js";
import { REVOCATIONS_CHANNEL } from "../store/revocations.js";
import { notifyPing } from "./feed-queries.js";

export interface RevocationListenerOptions {
  /** Called for every revocation notification (not for pings). */
  onRevocation: () => void;
  /** A ping unanswered for half of this means the LISTEN connection is gone. */
  checkIntervalMs: number;
  onReconnect?: () => void;
  now: () => number;
}

/**
 * LISTEN on `sigil_revocations`, kept alive. A LISTEN connection that PostgreSQL drops (restart,
 * failover, a killed backend, a NAT timeout) goes silent rather than failing, and the Database
 * interface does not report it; so {@link check} sends a NOTIFY ping of its own on the channel
 * and, when the previous ping never came back, listens again on a fresh connection. Revocations
 * committed meanwhile are not lost: the hub's poll of max(id) picks them up within a second.
 */
export class RevocationListener {
  readonly #db: Database;
  readonly #options: RevocationListenerOptions;
  readonly #pingPrefix = `ping:${randomUUID()}:`;
  #unlisten: (() => Promise<void>) | undefined;
  #pingSentAt: number | undefined;

  constructor(db: Database, options: RevocationListenerOptions) {
    this.#db = db;
    this.#options = options;
  }

  get listening(): boolean {
    return this.#unlisten !== undefined;
  }

  async listen(): Promise<void> {
    this.#unlisten = await this.#db.listen(REVOCATIONS_CHANNEL, (payload) => this.#onPayload(payload));
    this.#pingSentAt = undefined;
  }

  #onPayload(payload: string): void {
    if (payload.startsWith("ping:")) {
      if (payload.startsWith(this.#pingPrefix)) this.#pingSentAt = undefined;
      return; // another instance's probe: nothing new to read
    }
    // The payload is the new row's id, but any notification means "read what is new":
    // notifications can be coalesced or lost, and the read takes everything after the watermark.
    this.#options.onRevocation();
  }

  /** Re-listens if the last ping went unanswered, then sends the next one. */
  async check(): Promise<void> {
    const outstanding = this.#pingSentAt;
    const silent = outstanding !== undefined && this.#options.now() - outstanding >= this.#options.checkIntervalMs / 2;
    if (silent || !this.listening) {
      await this.stop();
      await this.listen();
      this.#options.onReconnect?.();
    }
    this.#pingSentAt ??= this.#options.now();
    await notifyPing(this.#db, REVOCATIONS_CHANNEL, this.#pingPrefix + this.#options.now());
  }

  /** Re-listens when a previous attempt failed (called by the poll). */
  async ensure(): Promise<void> {
    if (!this.listening) {
      await this.listen();
      this.#options.onReconnect?.();
    }
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => {});
  }
}
