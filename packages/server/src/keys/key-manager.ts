import { createSecretKey, type JWKS, KeyRing, type SigningKey, type VerificationKeySet } from "@sigil/jwt";
import type { Database } from "../store/database.js";
import { insertSigningKey, listSigningKeys, lockSigningKeys, type SigningKeyRow } from "../store/signing-keys.js";
import { systemTimers, type TimersLike } from "../timers.js";
import { announceKeyChange, KEY_CHANGES_CHANNEL } from "./key-change-channel.js";
import { type KeyConfig, reloadIntervalMs, retainMs } from "./key-timeline.js";
import { activeKeys, deleteExpiredKeys, rotateKeys } from "./rotate-keys.js";
import { generateStoredKey, loadStoredKey } from "./stored-key.js";

export interface KeyManagerOptions {
  /** The clock, in ms since 1970 (tests freeze it). */
  now?: () => number;
  /** Where the schedule's timer runs (default Node's, unref'd). */
  timers?: TimersLike;
}

export interface ScheduleOptions {
  /** Called with any error of a scheduled reload or rotation, or of listening (the schedule keeps running). */
  onError?: (error: unknown) => void;
  /** Called after each reload caused by a key-change notification (for logs and tests). */
  onKeyChange?: () => void;
}

/**
 * The server's signing keys: the ring loaded from `signing_keys`, the first key created at first
 * start, rotation on a schedule, and the JWKS document. Several instances sharing a database
 * converge: a rotation is announced on KEY_CHANGES_CHANNEL when it commits and every running
 * instance LISTENs and reloads at once; each also re-reads the table every reload interval, in
 * case a notification is lost with its connection, and a key always activates later than that
 * (see key-timeline.ts). PGlite delivers notifications only inside its own process, and only
 * one process can open it, so there the re-read is the whole mechanism for changes made
 * elsewhere (`sigil keys rotate` runs with the server stopped).
 *
 * @example
 * const keys = await KeyManager.open(db, config);
 * keys.startSchedule({ onError: (err) => log.error({ err }, "key schedule") });
 * signJWT(claims, keys.signingKey(), { expiresIn: config.accessTokenTtl });
 */
export class KeyManager {
  readonly #db: Database;
  readonly #config: KeyConfig;
  readonly #now: () => number;
  readonly #timers: TimersLike;
  readonly #ring: KeyRing;
  /** kid → the timeline the ring holds for it, to notice rows changed by another instance. */
  readonly #loaded = new Map<string, string>();
  /** True from startSchedule() until stop(). */
  #scheduled = false;
  /** The next round's timer. */
  #timer: unknown;
  #ticking: Promise<void> | undefined;
  #schedule: ScheduleOptions = {};
  #unlisten: (() => Promise<void>) | undefined;
  #listening: Promise<void> | undefined;
  /** Reloads run one after another: an older snapshot applied last would undo a newer one. */
  #reloads: Promise<void> = Promise.resolve();
  /** The reloads notifications asked for, chained, so that stop() can wait for them. */
  #notified: Promise<void> = Promise.resolve();

  private constructor(db: Database, config: KeyConfig, options: KeyManagerOptions) {
    this.#db = db;
    this.#config = config;
    const now = options.now ?? Date.now;
    this.#now = now;
    this.#timers = options.timers ?? systemTimers;
    this.#ring = new KeyRing({ now });
  }

  /**
   * Loads the keys, creating the first one if the table has none able to sign. Throws a
   * KeyEncryptionError (naming SIGIL_KEY_ENCRYPTION_KEY) when a key cannot be opened.
   */
  static async open(db: Database, config: KeyConfig, options: KeyManagerOptions = {}): Promise<KeyManager> {
    const manager = new KeyManager(db, config, options);
    if (config.signingAlg === "HS256") {
      // Single-service mode: one shared secret from the configuration, never stored, never published.
      if (config.hmacSecret === undefined) throw new TypeError("signingAlg HS256 needs config.hmacSecret");
      const key = createSecretKey(config.hmacSecret, { alg: "HS256" });
      manager.#ring.add({ signing: key, verification: key });
      return manager;
    }
    await manager.#ensureSigningKey();
    await manager.reload();
    // A changed SIGIL_SIGNING_ALG takes effect through an ordinary rotation, so verifiers see
    // the new key before it signs.
    if (manager.signingKey().alg !== config.signingAlg) {
      await rotateKeys(db, config, { now: manager.#now });
      await manager.reload();
    }
    return manager;
  }

  /** The keys the server's own checks verify with (a stable object; its `version` changes with the keys). */
  get keyRing(): VerificationKeySet {
    return this.#ring;
  }

  /** The key to sign with now. */
  signingKey(): SigningKey {
    return this.#ring.signingKey;
  }

  /** The public JWKS document: upcoming, active and recently retired keys; never a private member or an HMAC secret. */
  jwks(): JWKS {
    this.#ring.prune();
    return this.#ring.toJWKS();
  }

  /** Starts a rotation now (the new key signs after the publish lead) and reloads. */
  async rotate(): Promise<void> {
    await rotateKeys(this.#db, this.#config, { now: this.#now });
    await this.reload();
  }

  /** Re-reads signing_keys, adding, replacing and dropping keys so the ring matches the table. */
  reload(): Promise<void> {
    const next = this.#reloads.then(() => this.#reloadNow());
    this.#reloads = next.catch(() => {});
    return next;
  }

  async #reloadNow(): Promise<void> {
    if (this.#config.signingAlg === "HS256") return;
    const now = this.#now();
    const retain = retainMs(this.#config);
    const rows = (await listSigningKeys(this.#db)).filter(
      (row) => row.retiresAt === null || row.retiresAt.getTime() + retain >= now,
    );
    const current = new Set<string>();
    for (const row of rows) {
      current.add(row.kid);
      const timeline = `${row.activatesAt.getTime()}/${row.retiresAt?.getTime() ?? ""}`;
      if (this.#loaded.get(row.kid) === timeline) continue;
      // Open (and so check) every key before touching the ring: a failure leaves it as it was.
      const loaded = loadStoredKey(row, {
        kek: this.#config.keyEncryptionKey,
        needsPrivate: row.retiresAt === null || row.retiresAt.getTime() > now,
      });
      this.#ring.remove(row.kid);
      this.#ring.add({
        signing: loaded.signing,
        verification: loaded.verification,
        activatesAt: row.activatesAt.getTime(),
        ...(row.retiresAt === null ? {} : { retiresAt: row.retiresAt.getTime() }),
        retainMs: retain,
      });
      this.#loaded.set(row.kid, timeline);
    }
    for (const kid of this.#loaded.keys()) {
      if (current.has(kid)) continue;
      this.#ring.remove(kid);
      this.#loaded.delete(kid);
    }
  }

  /**
   * One round of the schedule: reload, rotate if the signing key is older than
   * keyRotationInterval, delete keys no token can need. Exposed for tests and operators.
   */
  async runScheduledWork(): Promise<void> {
    if (this.#config.signingAlg === "HS256") return;
    // Normally a no-op: only if every key lapsed (rows deleted by hand) is one created to sign at once.
    await this.#ensureSigningKey();
    await this.reload();
    const rotated = await rotateKeys(this.#db, this.#config, {
      now: this.#now,
      ifOlderThanSeconds: this.#config.keyRotationInterval,
    });
    await deleteExpiredKeys(this.#db, this.#config, { now: this.#now });
    if (rotated?.created) await this.reload();
  }

  /**
   * LISTENs for key changes (reloading on each) and runs {@link runScheduledWork} every reload
   * interval on the manager's timers (Node's, unref'd, by default: it never keeps the process
   * alive); a round is armed when the previous one has finished, so a slow round (RSA generation,
   * a slow database) is never stacked. The returned promise resolves once the manager listens, or
   * has reported through `onError` why it cannot (the next round tries again); it never rejects,
   * and a server need not wait for it.
   */
  startSchedule(options: ScheduleOptions = {}): Promise<void> {
    if (this.#scheduled || this.#config.signingAlg === "HS256") return Promise.resolve();
    this.#scheduled = true;
    this.#schedule = options;
    this.#listening = this.#listen();
    const arm = (): void => {
      this.#timer = this.#timers.setTimeout(() => {
        this.#ticking = this.#relisten()
          .then(() => this.runScheduledWork())
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => {
            this.#ticking = undefined;
            if (this.#scheduled) arm();
          });
      }, reloadIntervalMs(this.#config));
    };
    arm();
    return this.#listening;
  }

  /** Stops the schedule and the listening, and waits for a round or a reload in progress. */
  async stop(): Promise<void> {
    this.#scheduled = false;
    this.#timers.clearTimeout(this.#timer);
    await this.#ticking;
    await this.#listening;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => {});
    await this.#notified;
  }

  async #listen(): Promise<void> {
    try {
      this.#unlisten = await this.#db.listen(KEY_CHANGES_CHANNEL, () => this.#onKeyChange());
    } catch (error) {
      this.#schedule.onError?.(error);
    }
  }

  /** A failed LISTEN is retried each round. (A connection lost later goes unnoticed: the re-read covers it.) */
  async #relisten(): Promise<void> {
    if (this.#unlisten === undefined && this.#scheduled) {
      this.#listening = this.#listen();
      await this.#listening;
    }
  }

  #onKeyChange(): void {
    if (!this.#scheduled) return; // stopped
    const { onError, onKeyChange } = this.#schedule;
    this.#notified = this.#notified.then(async () => {
      try {
        await this.reload();
        onKeyChange?.();
      } catch (error) {
        onError?.(error);
      }
    });
  }

  async #ensureSigningKey(): Promise<void> {
    const config = this.#config;
    if (config.signingAlg === "HS256") return;
    const alg = config.signingAlg;
    const now = this.#now();
    if (activeKeys(await listSigningKeys(this.#db), now).length > 0) return;
    // First start (or every key lapsed): create one that signs at once — no verifier can hold
    // tokens of a key that never signed, so there is nothing to publish ahead. Under the lock
    // and re-checked, so instances starting together create exactly one.
    await this.#db.transaction(async (tx) => {
      await lockSigningKeys(tx);
      const rows = await listSigningKeys(tx);
      if (activeKeys(rows, now).length > 0) return;
      const pending = firstPending(rows, now);
      const row = await generateStoredKey(alg, {
        kek: config.keyEncryptionKey,
        createdAt: new Date(now),
        activatesAt: new Date(now),
        retiresAt: pending?.activatesAt ?? null,
      });
      await insertSigningKey(tx, row);
      await announceKeyChange(tx, row.kid);
    });
  }
}

function firstPending(rows: readonly SigningKeyRow[], now: number): SigningKeyRow | undefined {
  return rows.find((row) => row.activatesAt.getTime() > now);
}
