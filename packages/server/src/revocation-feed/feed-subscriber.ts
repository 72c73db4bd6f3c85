/** The part of a ServerResponse (or any Writable) a subscriber writes to. */
export interface FeedSink {
  write(chunk: string): boolean;
  end(): unknown;
  destroy(): unknown;
  readonly writableLength: number;
  readonly destroyed: boolean;
  once(event: "drain" | "close", listener: () => void): unknown;
}

export type DropReason = "slow" | "closed" | "shutdown";

export interface FeedSubscriberOptions {
  /** The client the stream belongs to (connections are counted per client). */
  clientId?: string;
  /** Bytes the sink may hold unsent before the subscriber is cut off. */
  maxBufferedBytes: number;
  /** Called once when the subscriber ends, whatever the cause. */
  onEnd: (subscriber: FeedSubscriber, reason: DropReason) => void;
}

/**
 * One connected verifier. Writes never wait: a sink that cannot keep up — its unsent bytes
 * beyond the limit — is cut off (the verifier reconnects with Last-Event-ID and resumes), so a
 * stalled or malicious peer can never make the server buffer without bound. The first write
 * (the snapshot) may exceed the limit by its own size until the socket first drains.
 */
export class FeedSubscriber {
  /** The id of the last revocation sent (or of the snapshot); later events with ids at or below it are skipped. */
  lastId: number;
  readonly clientId: string | undefined;
  readonly #sink: FeedSink;
  readonly #options: FeedSubscriberOptions;
  #allowance: number;
  #ended = false;

  constructor(sink: FeedSink, lastId: number, options: FeedSubscriberOptions) {
    this.#sink = sink;
    this.lastId = lastId;
    this.clientId = options.clientId;
    this.#options = options;
    this.#allowance = options.maxBufferedBytes;
    sink.once("close", () => this.#finish("closed"));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Writes a chunk larger than the usual allowance (the snapshot): allowed once, until it drains. */
  writeLarge(chunk: string): void {
    if (this.#ended) return;
    this.#allowance = this.#options.maxBufferedBytes + Buffer.byteLength(chunk);
    if (!this.#sink.write(chunk)) {
      this.#sink.once("drain", () => {
        this.#allowance = this.#options.maxBufferedBytes;
      });
    } else this.#allowance = this.#options.maxBufferedBytes;
    this.#check();
  }

  write(chunk: string): void {
    if (this.#ended) return;
    this.#sink.write(chunk);
    this.#check();
  }

  /** Ends the stream cleanly (graceful shutdown): the verifier reconnects elsewhere. */
  end(): void {
    if (this.#ended) return;
    this.#sink.end();
    this.#finish("shutdown");
  }

  #check(): void {
    if (this.#sink.writableLength > this.#allowance) {
      this.#sink.destroy();
      this.#finish("slow");
    }
  }

  #finish(reason: DropReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.onEnd(this, reason);
  }
}
