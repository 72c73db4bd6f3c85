import type { FastifyBaseLogger } from "fastify";
import { createAttemptStore, LoginRateLimiter, RegistrationLimiter } from "./abuse/index.js";
import type { AccountMail } from "./auth/account-mail.js";
import type { ServerConfig } from "./config/config.js";
import { KeyManager } from "./keys/key-manager.js";
import { loadServerSecret } from "./keys/server-secrets.js";
import { createAccountMail } from "./mail/account-mail.js";
import { createMailer, type Mailer } from "./mail/index.js";
import { createLogger, type LogDestination } from "./observability/logger.js";
import { Metrics } from "./observability/metrics.js";
import { createPasswordHasher, type PasswordHasher } from "./passwords/index.js";
import { RevocationFeedHub, type RevocationFeedHubOptions } from "./revocation-feed/revocation-feed-hub.js";
import type { Database } from "./store/database.js";
import { migrate } from "./store/migrate.js";
import { openDatabase } from "./store/open-database.js";
import { systemTimers, type TimersLike } from "./timers.js";

/**
 * Everything a running server holds open, built once by {@link openServerContext} and handed to
 * every route plugin (each declares the part it uses): the configuration, the database, the
 * signing keys, the password hasher, the login rate limiter, the metrics registry, the revocation
 * feed hub, the mailer, the logger and the clock.
 */
export interface ServerContext {
  readonly config: ServerConfig;
  readonly db: Database;
  readonly keys: KeyManager;
  readonly hasher: PasswordHasher;
  /** Sign-in throttling (per account, device and address). */
  readonly rateLimiter: LoginRateLimiter;
  /** Registration quotas (per address and overall). */
  readonly registrationLimiter: RegistrationLimiter;
  /** Account-recovery throttling (codes typed, mails asked for): sign-in's rules, counters of their own. */
  readonly recoveryLimiter: LoginRateLimiter;
  /** What the account flows mail (auth/account-mail.ts), sent through the configured mailer. */
  readonly accountMail: AccountMail;
  readonly metrics: Metrics;
  /** The revocations in force, in memory, and the feed verifiers subscribe to. */
  readonly revocations: RevocationFeedHub;
  /** Where codes and notices go: SMTP, the development outbox, or nowhere (mail/create-mailer.ts). */
  readonly mailer: Mailer;
  /** Derives refresh-token successors (auth/refresh-token-format.ts); keys/server-secrets.ts. */
  readonly refreshDerivationKey: Buffer;
  /** Signs device credentials (abuse/device-credential.ts); keys/server-secrets.ts. */
  readonly deviceKey: Buffer;
  /** MACs the one-time codes sent by mail (auth/one-time-codes.ts); keys/server-secrets.ts. */
  readonly codeKey: Buffer;
  readonly logger: FastifyBaseLogger;
  /** The clock in ms since 1970 (tests move it). */
  readonly now: () => number;
  /** The timers of the server's background work (tests pass fakes, beside `now`). */
  readonly timers: TimersLike;
}

export interface OpenServerContextOptions {
  /** Use this database instead of opening the configured one; it is then the caller's to close. */
  database?: Database;
  /** Where log lines go (default stdout), or a ready logger. */
  log?: LogDestination | { logger: FastifyBaseLogger };
  /** The clock in ms since 1970 (default Date.now). */
  now?: () => number;
  /** Use this mailer instead of the configured one (a test's recorder); it is then the caller's to close. */
  mailer?: Mailer;
  /**
   * The timers of the background work — the revocation feed hub's, the key schedule's,
   * housekeeping's (default Node's, unref'd). Tests pass fakes together with `now` and move time
   * instead of waiting for it.
   */
  timers?: TimersLike;
  /** Revocation-feed hub tuning (tests shorten its intervals). */
  revocationFeed?: Omit<RevocationFeedHubOptions, "logger" | "now" | "timers" | "heartbeatSeconds">;
}

/** A server context and the one way to release it. */
export interface OpenedServerContext {
  readonly context: ServerContext;
  /** Stops the hub, the hashing threads and the mailer, then closes the database if it was opened here. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens what a server needs, in order: the database (PostgreSQL when `config.databaseUrl` is
 * set, else PGlite in `config.dataDir`, which the store locks for this process), its migrations,
 * the signing keys, the refresh derivation key, the hasher's threads, the revocation feed hub and
 * the mailer (which connects to the SMTP server only when it first sends, so a mail server that is
 * down does not keep the auth server from starting).
 * Whatever was opened is closed again if a later step fails.
 *
 * @example
 * const { context, close } = await openServerContext(loadConfig(process.env));
 */
export async function openServerContext(
  config: ServerConfig,
  options: OpenServerContextOptions = {},
): Promise<OpenedServerContext> {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const logger = isLogger(options.log) ? options.log.logger : createLogger(config, options.log);
  const ownsDatabase = options.database === undefined;
  const db =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: "a Sigil server" }));
  const opened: Array<() => Promise<void>> = ownsDatabase ? [() => db.close()] : [];
  const close = async (): Promise<void> => {
    for (const step of opened.splice(0).reverse()) await step();
  };
  try {
    await migrate(db);
    const keys = await KeyManager.open(db, config, { now, timers });
    const kek = { kek: config.keyEncryptionKey };
    const refreshDerivationKey = await loadServerSecret(db, "refresh_derivation", kek);
    const deviceKey = await loadServerSecret(db, "device_binding", kek);
    const codeKey = await loadServerSecret(db, "code_binding", kek);
    const hasher = createPasswordHasher({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
    opened.push(() => hasher.close());
    const metrics = new Metrics();
    metrics.observeHashQueue(hasher);
    const revocations = await RevocationFeedHub.start(db, {
      ...options.revocationFeed,
      heartbeatSeconds: config.feedHeartbeatSeconds,
      logger,
      now,
      timers,
    });
    opened.push(() => revocations.stop());
    const mailer = options.mailer ?? createMailer(config, { logger, now });
    if (options.mailer === undefined) opened.push(() => mailer.close());
    // One store for every counter, so sign-in and registration counts share their database table.
    const attempts = createAttemptStore({ rateLimit: config.rateLimit, db });
    const rateLimiter = new LoginRateLimiter(attempts, { rateLimit: config.rateLimit, now });
    const registrationLimiter = new RegistrationLimiter(attempts, { limits: config.registrationLimits, now });
    const recoveryLimiter = new LoginRateLimiter(attempts, { rateLimit: config.rateLimit, now, scope: "recovery" });
    const accountMail = createAccountMail(mailer, config, { logger, now });
    // Queued mail is handed over before the mailer closes (close runs these in reverse).
    opened.push(() => accountMail.flush());
    const context: ServerContext = {
      config,
      db,
      keys,
      hasher,
      rateLimiter,
      registrationLimiter,
      recoveryLimiter,
      accountMail,
      metrics,
      revocations,
      mailer,
      refreshDerivationKey,
      deviceKey,
      codeKey,
      logger,
      now,
      timers,
    };
    let closing: Promise<void> | undefined;
    return {
      context,
      close: () => {
        closing ??= close();
        return closing;
      },
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

function isLogger(log: OpenServerContextOptions["log"]): log is { logger: FastifyBaseLogger } {
  return typeof log === "object" && log !== null && "logger" in log;
}
