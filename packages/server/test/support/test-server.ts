import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { createLoginRateLimiter } from "../../src/abuse/index.js";
import { loadRefreshDerivationKey } from "../../src/auth/derivation-key.js";
import type { ServerConfig } from "../../src/config/config.js";
import { buildApp, type RoutePlugin } from "../../src/http/app.js";
import { KeyManager } from "../../src/keys/key-manager.js";
import { Metrics } from "../../src/observability/index.js";
import { checkPasswordPolicy, createPasswordHasher } from "../../src/passwords/index.js";
import type { Database } from "../../src/store/database.js";
import { testConfig } from "./test-deps.js";

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  config: ServerConfig;
  metrics: Metrics;
  /** The server's own KeyManager (tests rotate through it). */
  keys: KeyManager;
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  /** Fastify logger options (tests capture log lines through a stream). */
  logger?: FastifyServerOptions["logger"];
  now?: () => number;
  /** Route plugins of other modules (registerOAuthRoutes, revocationFeedPlugin), given the server's own parts. */
  routes?: (parts: {
    config: ServerConfig;
    db: Database;
    keys: KeyManager;
    metrics: Metrics;
  }) => readonly RoutePlugin[];
}

/**
 * The real app on a real database, listening on a free loopback port, with the real KeyManager,
 * password hasher and policy, login rate limiter and metrics registry.
 */
export async function startTestServer(db: Database, options: TestServerOptions = {}): Promise<TestServer> {
  const config = testConfig(options.config);
  const now = options.now;
  const keys = await KeyManager.open(db, config, now ? { now } : {});
  const metrics = new Metrics({ processMetrics: false });
  const hasher = createPasswordHasher({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  metrics.observeHashQueue(hasher);
  const rateLimiter = createLoginRateLimiter({ rateLimit: config.rateLimit, db, ...(now ? { now } : {}) });
  const app = await buildApp({
    config,
    db,
    keys,
    hasher,
    passwordPolicy: (password) =>
      checkPasswordPolicy(password, { minLength: config.passwordMinLength, maxLength: config.passwordMaxLength }),
    rateLimiter,
    metrics,
    refreshDerivationKey: await loadRefreshDerivationKey(db),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.routes ? { routes: options.routes({ config, db, keys, metrics }) } : {}),
    ...(now ? { now } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    config,
    metrics,
    keys,
    close: () => app.close(),
  };
}

/** A parsed response body; tests inspect it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not by types
type ResponseBody = any;

/** JSON over real HTTP: status, headers and the parsed body (or the text when not JSON). */
export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: { json?: unknown; body?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: ResponseBody }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}

let userCounter = 0;

/** A unique email per call (tests in one suite share a database). */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${process.pid}-${++userCounter}@example.com`;
}

export const GOOD_PASSWORD = "correct horse battery staple";

/** Registers and logs in a fresh user; returns the pair and the email. */
export async function registerAndLogin(
  server: { url: string },
  email = uniqueEmail(),
): Promise<{ email: string; userId: string; access: string; refresh: string }> {
  const registered = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { email, userId: registered.body.id, access: login.body.access_token, refresh: login.body.refresh_token };
}
