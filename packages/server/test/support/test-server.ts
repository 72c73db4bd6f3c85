// The server's own tests use the public harness (@sigil/server/testing) through these shorthands:
// a given database first, the configuration as overrides, and the harness's helpers.
import type { FastifyServerOptions } from "fastify";
import type { ServerConfig } from "../../src/config/config.js";
import type { KeyManager } from "../../src/keys/key-manager.js";
import type { Metrics } from "../../src/observability/metrics.js";
import type { Database } from "../../src/store/database.js";
import {
  call,
  type TestServerOptions as HarnessOptions,
  type TestServer as HarnessServer,
  startTestServer as startHarnessServer,
  TEST_PASSWORD,
  uniqueEmail,
} from "../../src/testing/index.js";

export { call, uniqueEmail };

export interface TestServer extends HarnessServer {
  metrics: Metrics;
  /** The server's own KeyManager (tests rotate through it). */
  keys: KeyManager;
}

export interface TestServerOptions extends Omit<HarnessOptions, "database" | "log"> {
  config?: Partial<ServerConfig>;
  /** pino options with a stream (tests capture log lines this way). */
  logger?: Extract<FastifyServerOptions["logger"], { stream?: unknown }>;
}

/** The real server on `db` (the caller's to close), listening on a free loopback port. */
export async function startTestServer(db: Database, options: TestServerOptions = {}): Promise<TestServer> {
  const { logger, ...rest } = options;
  const stream = logger && "stream" in logger ? (logger.stream as HarnessOptions["log"]) : undefined;
  const server = await startHarnessServer({ ...rest, database: db, ...(stream ? { log: stream } : {}) });
  return Object.assign(server, { metrics: server.context.metrics, keys: server.context.keys });
}

export const GOOD_PASSWORD = TEST_PASSWORD;

/** Registers (through the API) and logs in a fresh user; returns the pair and the email. */
export async function registerAndLogin(
  server: { url: string },
  email = uniqueEmail(),
): Promise<{ email: string; userId: string; access: string; refresh: string }> {
  const registered = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
  if (registered.status !== 202) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const access: string = login.body.access_token;
  // Registration answers without the account's id (no enumeration): the token's subject is it.
  const userId: string = JSON.parse(Buffer.from(access.split(".")[1] ?? "", "base64url").toString("utf8")).sub;
  return { email, userId, access, refresh: login.body.refresh_token };
}
