import type { FastifyInstance } from "fastify";
import { createLoginRateLimiter } from "./abuse/index.js";
import { loadRefreshDerivationKey } from "./auth/derivation-key.js";
import { scheduleHousekeeping } from "./auth/housekeeping.js";
import { ClientRegistry } from "./clients/index.js";
import type { ServerConfig } from "./config/config.js";
import { buildApp } from "./http/app.js";
import { registerOAuthRoutes } from "./http/routes/oauth.js";
import { OAUTH_PATHS } from "./http/routes/oauth-paths.js";
import { USERINFO_PATH } from "./http/routes/userinfo.js";
import { KeyManager } from "./keys/key-manager.js";
import { createLoggerOptions, Metrics } from "./observability/index.js";
import { checkPasswordPolicy, createPasswordHasher, type PasswordHasher } from "./passwords/index.js";
import { revocationFeedPlugin } from "./revocation-feed/index.js";
import type { Database } from "./store/database.js";
import { migrate } from "./store/migrate.js";
import { openDatabase } from "./store/open-database.js";

/** Expired revocations and long-finished sessions are deleted this often. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export interface StartOptions {
  /** Where the one summary line goes (default: stdout). */
  print?: (line: string) => void;
  /** Stop gracefully on SIGTERM and SIGINT (default true; tests that start several servers turn it off). */
  handleSignals?: boolean;
  /** Fastify logger options (default: createLoggerOptions(config)). */
  logger?: Parameters<typeof buildApp>[0]["logger"];
}

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  /** The address actually listened on (http://host:port). */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts `sigil serve`: opens the database (PostgreSQL when DATABASE_URL is set, else PGlite in
 * the data directory), applies migrations under an advisory lock, loads or creates the signing
 * keys, builds the app and listens; prints one summary line. SIGTERM/SIGINT close it gracefully:
 * Fastify stops accepting, answers 503 to new requests on kept-alive connections and waits for
 * in-flight ones; only then is the database closed, so nothing is cut off half-written (every
 * multi-statement change is one transaction anyway).
 *
 * @example
 * const server = await startServer(loadConfig(process.env));
 */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let keys: KeyManager | undefined;
  let hasher: PasswordHasher | undefined;
  try {
    await migrate(db);
    keys = await KeyManager.open(db, config);
    hasher = createPasswordHasher({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
    const metrics = new Metrics();
    metrics.observeHashQueue(hasher);
    const keyManager = keys;
    const app = await buildApp({
      config,
      db,
      keys: keyManager,
      hasher,
      passwordPolicy: (password) =>
        checkPasswordPolicy(password, { minLength: config.passwordMinLength, maxLength: config.passwordMaxLength }),
      rateLimiter: createLoginRateLimiter({ rateLimit: config.rateLimit, db }),
      metrics,
      refreshDerivationKey: await loadRefreshDerivationKey(db, { keyEncryptionKey: config.keyEncryptionKey }),
      logger: options.logger ?? createLoggerOptions(config),
      routes: [
        revocationFeedPlugin({
          hub: { heartbeatSeconds: config.feedHeartbeatSeconds },
          metrics,
          ...(config.forwardAuthCookie === undefined ? {} : { forwardAuthCookie: config.forwardAuthCookie }),
        }),
        (instance, deps) =>
          registerOAuthRoutes(instance, {
            config,
            db,
            keys: keyManager,
            clients: new ClientRegistry(db),
            auth: deps.auth,
            userinfoPath: USERINFO_PATH,
          }),
      ],
    });
    keyManager.startSchedule({ onError: (error) => app.log.error({ err: error }, "key schedule failed") });
    const housekeeping = scheduleHousekeeping(db, {
      intervalMs: HOUSEKEEPING_INTERVAL_MS,
      onError: (error) => app.log.error({ err: error }, "housekeeping failed"),
    });
    const address = await app.listen({ host: config.host, port: config.port });
    (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(summaryLine(config, db, address));

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        await keyManager.stop();
        await housekeeping.stop();
        await app.close();
        // After app.close(): no route handler is left that could still be waiting for a hash or
        // writing (drainHandlersOnClose in http/in-flight-handlers.ts), client there or not.
        await hasher?.close();
        await db.close();
      })();
      return closing;
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      app.log.info({ signal }, "shutting down");
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    if (options.handleSignals ?? true) {
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    }
    return { app, db, url: address, close };
  } catch (error) {
    await keys?.stop().catch(() => {});
    await hasher?.close().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

/** The one line printed at start: where it is, where its keys are, what it stores in, what is insecure. */
export function summaryLine(config: ServerConfig, db: Pick<Database, "description">, address: string): string {
  const parts = [
    `sigil listening on ${address}`,
    `issuer ${config.issuer}`,
    `jwks ${config.issuer}${OAUTH_PATHS.jwks}`,
    `database ${db.description}`,
    `signing ${config.signingAlg}`,
  ];
  for (const warning of config.warnings) parts.push(`WARNING: ${warning}`);
  return parts.join(" | ");
}
