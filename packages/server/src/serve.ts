import type { FastifyInstance } from "fastify";
import { buildApp, buildMetricsApp } from "./app.js";
import { scheduleHousekeeping } from "./auth/housekeeping.js";
import type { ServerConfig } from "./config/config.js";
import type { Mailer } from "./mail/index.js";
import { LISTENING_MESSAGE } from "./observability/logger.js";
import { PATHS } from "./routes/paths.js";
import { type OpenServerContextOptions, openServerContext, type ServerContext } from "./server-context.js";
import type { Database } from "./store/database.js";

/** Expired revocations and long-finished sessions are deleted this often. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

export interface StartOptions extends OpenServerContextOptions {
  /** Where the one summary line goes (default: stdout). */
  print?: (line: string) => void;
  /** Stop gracefully on SIGTERM and SIGINT (default true; tests that start several servers turn it off). */
  handleSignals?: boolean;
  /**
   * Run the background work of a long-lived server: the signing-key schedule (reload, rotation)
   * and housekeeping (default true; tests that drive keys and time themselves turn it off).
   */
  background?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The listener of GET /metrics when SIGIL_METRICS_ADDRESS is set. */
  metricsApp: FastifyInstance | undefined;
  context: ServerContext;
  db: Database;
  /** The address actually listened on (http://host:port). */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes everything it opened. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts `sigil serve`: opens the server's context (database and migrations, keys, hasher,
 * revocation feed hub, mailer — see openServerContext), builds the app, listens, and prints one summary
 * line. SIGTERM/SIGINT close it gracefully: Fastify stops accepting, answers 503 to new requests
 * on kept-alive connections and waits for in-flight ones; only then is the context closed, so
 * nothing is cut off half-written (every multi-statement change is one transaction anyway).
 *
 * @example
 * const server = await startServer(loadConfig(process.env));
 */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const opened = await openServerContext(config, options);
  const { context } = opened;
  let app: FastifyInstance | undefined;
  let metricsApp: FastifyInstance | undefined;
  try {
    app = await buildApp(context);
    if (config.metricsAddress !== undefined) {
      metricsApp = await buildMetricsApp(context);
      await metricsApp.listen({ ...config.metricsAddress, listenTextResolver: () => LISTENING_MESSAGE });
    }
    const background = options.background ?? true;
    const log = app.log;
    if (background) {
      void context.keys.startSchedule({
        onError: (error) => log.error({ err: error }, "key schedule failed"),
        onKeyChange: () => log.info({}, "signing keys reloaded: another instance changed them"),
      });
    }
    const housekeeping = background
      ? scheduleHousekeeping(context.db, {
          intervalMs: HOUSEKEEPING_INTERVAL_MS,
          now: context.now,
          timers: context.timers,
          onError: (error) => log.error({ err: error }, "housekeeping failed"),
        })
      : undefined;
    const address = await app.listen({
      host: config.host,
      port: config.port,
      listenTextResolver: () => LISTENING_MESSAGE,
    });
    const running = app;
    const runningMetrics = metricsApp;
    let closing: Promise<void> | undefined;
    let signalled = false;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        // Closed by a signal, the listeners stay until the exit (see onSignal).
        if (!signalled) {
          process.off("SIGTERM", onSignal);
          process.off("SIGINT", onSignal);
        }
        await context.keys.stop();
        await housekeeping?.stop();
        await runningMetrics?.close();
        await running.close();
        // After app.close(): no route handler is left that could still be waiting for a hash or
        // writing (drainHandlersOnClose in http/in-flight-handlers.ts), client there or not.
        await opened.close();
      })();
      return closing;
    };
    // The same signal often comes twice: a terminal's Ctrl-C reaches every process of its group,
    // npm's among them, and npm passes it on to its script; systemd signals every process of the
    // unit. A repeat while closing is logged and ignored. The listeners are never removed on the
    // way to the exit: with none left for an instant (as process.once leaves it before calling
    // its listener), Node restores the default action and a repeat arriving then kills the
    // process half-way through its shutdown.
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        log.info({ signal }, "already shutting down");
        return;
      }
      signalled = true;
      log.info({ signal }, "shutting down");
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    if (options.handleSignals ?? true) {
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    }
    // Only now the line that says "ready": a supervisor may signal as soon as it reads it, and a
    // signal before the listeners above would kill the process outright (Node's default action).
    (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(
      summaryLine(config, context.db, shownAddress(config.host, address), context.mailer),
    );
    return { app: running, metricsApp: runningMetrics, context, db: context.db, url: address, close };
  } catch (error) {
    await context.keys.stop().catch(() => {});
    await metricsApp?.close().catch(() => {});
    await app?.close().catch(() => {});
    await opened.close().catch(() => {});
    throw error;
  }
}

/**
 * The address as a person should read it. On a wildcard host (0.0.0.0 or ::, every interface, as
 * in a container) Fastify reports the first address it listens on, 127.0.0.1, which would read
 * as loopback only.
 */
function shownAddress(host: string, address: string): string {
  if (host !== "0.0.0.0" && host !== "::") return address;
  return `http://${host === "::" ? "[::]" : host}:${new URL(address).port}`;
}

/**
 * The one line printed at start: where it is, where its keys are, what it stores in, where its
 * mail goes (`smtp://host:port`, never the credentials; `outbox <dir>`; `off`), what is insecure.
 */
export function summaryLine(
  config: ServerConfig,
  db: Pick<Database, "description">,
  address: string,
  mailer: Pick<Mailer, "description">,
): string {
  const parts = [
    `sigil listening on ${address}`,
    `issuer ${config.issuer}`,
    `jwks ${config.issuer}${PATHS.jwks}`,
    `database ${db.description}`,
    `signing ${config.signingAlg}`,
    `mail ${mailer.description}`,
  ];
  for (const warning of config.warnings) parts.push(`WARNING: ${warning}`);
  return parts.join(" | ");
}
