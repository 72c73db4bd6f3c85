import type { FastifyInstance } from "fastify";
import { normalizeEmail } from "../auth/email.js";
import { randomId } from "../auth/ids.js";
import { type CreateClientInput, type CreatedClient, createClient } from "../clients/create-client.js";
import type { ServerConfig } from "../config/config.js";
import { loadConfig } from "../config/load-config.js";
import type { LogDestination } from "../observability/logger.js";
import type { RevocationFeedHubOptions } from "../revocation-feed/revocation-feed-hub.js";
import { startServer } from "../serve.js";
import type { ServerContext } from "../server-context.js";
import type { Database } from "../store/database.js";
import { openPostgres } from "../store/postgres.js";
import { insertUser } from "../store/users.js";
import type { TimersLike } from "../timers.js";
import { freePort } from "./free-port.js";
import { basicAuthorization, type CallOptions, type CallResult, call } from "./http.js";
import { openTestPGlite } from "./pglite-template.js";

/** The password of users made by {@link TestServer.createUser} unless another is given. */
export const TEST_PASSWORD = "correct horse battery staple";

export interface TestServerOptions {
  /**
   * Where the server stores its data: a throw-away in-memory PGlite (the default, started from a
   * template: see openTestPGlite), a PostgreSQL URL (a database of {@link startTestPostgres},
   * say), or a database already open — the caller's to close.
   */
  database?: Database | { url: string };
  /** Settings as environment variables, read by loadConfig like `sigil serve` does (e.g. SIGIL_SIGNING_ALG). */
  env?: Record<string, string>;
  /** Values replacing the loaded configuration's, for what no setting can express (rate limits of a test). */
  config?: Partial<ServerConfig>;
  /** The clock in ms since 1970 (default Date.now). */
  now?: () => number;
  /** The timers of the server's background work (default Node's): fakes let a test move time. */
  timers?: TimersLike;
  /** Where log lines go (default: nowhere). */
  log?: LogDestination;
  /** Run the key schedule and housekeeping, as `sigil serve` does (default false: tests drive them). */
  background?: boolean;
  /** Revocation-feed hub tuning. */
  revocationFeed?: Omit<RevocationFeedHubOptions, "logger" | "now" | "timers" | "heartbeatSeconds">;
}

/** A user made by {@link TestServer.createUser}. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A token pair from /auth/login. */
export interface TestTokens {
  accessToken: string;
  refreshToken: string;
  /** The session the tokens belong to (the access token's `sid`). */
  sessionId: string;
}

/** A registered client and, for a confidential one, its secret and ready Basic credentials. */
export interface TestClient extends CreatedClient {
  /** `Basic …` for client_secret_basic (RFC 6749 §2.3.1); undefined for a public client. */
  authorization: string | undefined;
}

/** A running Sigil server for tests, with helpers to set the scene. */
export interface TestServer {
  /** http://127.0.0.1:<port>: also the issuer, so discovery's URLs point back at it. */
  readonly url: string;
  readonly issuer: string;
  /** The `aud` of user access tokens. */
  readonly audience: string;
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  readonly config: ServerConfig;
  readonly db: Database;
  /** JSON over real HTTP: status, headers and the parsed body. */
  request(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Inserts a user directly (no registration endpoint involved); email and password default to unique and TEST_PASSWORD. */
  /** A user straight into the database; `verified: false` leaves the email unverified. */
  createUser(user?: {
    email?: string;
    password?: string;
    roles?: readonly string[];
    verified?: boolean;
  }): Promise<TestUser>;
  /** Logs a user in through POST /auth/login. */
  login(user: { email: string; password: string }): Promise<TestTokens>;
  /** A new user (createUser) logged in (login): the usual first step of a test. */
  signIn(): Promise<TestTokens & { user: TestUser }>;
  /** Registers an OAuth client (`sigil clients create`). */
  createClient(input: CreateClientInput): Promise<TestClient>;
  /** Stops the server and closes what it opened (the database too, unless it was given). Idempotent. */
  close(): Promise<void>;
}

let userCounter = 0;

/** A unique email per call (tests in one suite share a database). */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${process.pid}-${++userCounter}@example.com`;
}

/**
 * Starts the real server — `startServer`, exactly what `sigil serve` runs, every route group
 * included — on a loopback port whose URL is also its issuer, in development mode with the
 * per-address login limit raised (a suite's deliberate failures all come from 127.0.0.1).
 *
 * @example
 * const server = await startTestServer();
 * const user = await server.createUser();
 * const { accessToken } = await server.login(user);
 * const answer = await server.request("GET", "/userinfo", { token: accessToken });
 * await server.close();
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // The issuer names the port, so the port is chosen before listening; another process taking
  // it in between makes the start fail loudly, not wrongly.
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const loaded = loadConfig({
    SIGIL_ENV: "development",
    SIGIL_HOST: "127.0.0.1",
    SIGIL_PORT: String(port),
    SIGIL_ISSUER: issuer,
    SIGIL_DATA_DIR: "memory",
    // Tests read log lines as JSON.
    SIGIL_LOG_FORMAT: "json",
    ...options.env,
  });
  const config: ServerConfig = {
    ...loaded,
    rateLimit: { ...loaded.rateLimit, addressFreeFailures: 10_000 },
    ...options.config,
  };
  const given = options.database;
  // Opened here (and so closed here): the default PGlite, or a connection to a given URL.
  const owned =
    given === undefined ? await openTestPGlite() : "url" in given ? await openPostgres(given.url) : undefined;
  const database = owned ?? (given as Database);
  const server = await startServer(config, {
    print: () => {},
    handleSignals: false,
    background: options.background ?? false,
    log: options.log ?? "silent",
    database,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.timers !== undefined ? { timers: options.timers } : {}),
    ...(options.revocationFeed !== undefined ? { revocationFeed: options.revocationFeed } : {}),
  }).catch(async (error: unknown) => {
    await owned?.close();
    throw error;
  });
  const { context } = server;
  const target = { url: server.url };
  let closing: Promise<void> | undefined;
  const testServer: TestServer = {
    url: server.url,
    issuer: config.issuer,
    audience: config.audience,
    app: server.app,
    context,
    config,
    db: context.db,
    request: (method, path, callOptions) => call(target, method, path, callOptions),
    async createUser(user = {}) {
      const email = user.email ?? uniqueEmail();
      const password = user.password ?? TEST_PASSWORD;
      const normalized = normalizeEmail(email);
      if (normalized === null) throw new Error(`createUser: ${JSON.stringify(email)} is not an email address`);
      const created = await insertUser(context.db, {
        id: randomId(),
        email: normalized.email,
        emailNormalized: normalized.normalized,
        passwordHash: await context.hasher.hash(password),
        roles: user.roles ?? [],
        now: new Date(context.now()),
        emailVerifiedAt: user.verified === false ? null : new Date(context.now()),
      });
      if (created === null) throw new Error(`createUser: ${email} is taken`);
      return { id: created.id, email, password };
    },
    async login(user) {
      const answer = await call(target, "POST", "/auth/login", {
        json: { email: user.email, password: user.password },
      });
      if (answer.status !== 200) throw new Error(`login: ${answer.status} ${JSON.stringify(answer.body)}`);
      const accessToken: string = answer.body.access_token;
      const payload = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
      return { accessToken, refreshToken: answer.body.refresh_token, sessionId: payload.sid };
    },
    async signIn() {
      const user = await testServer.createUser();
      return { user, ...(await testServer.login(user)) };
    },
    async createClient(input) {
      const created = await createClient(context.db, input);
      const authorization = created.secret === null ? undefined : basicAuthorization(created.client.id, created.secret);
      return { ...created, authorization };
    },
    close() {
      closing ??= (async () => {
        await server.close();
        await owned?.close();
      })();
      return closing;
    },
  };
  return testServer;
}
