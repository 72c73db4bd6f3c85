import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { AuthService } from "../auth/auth-service.js";
import type {
  AuthConfig,
  AuthKeys,
  AuthMetricsPort,
  LoginRateLimiterPort,
  PasswordHasherPort,
  PasswordPolicyPort,
} from "../auth/ports.js";
import type { ServerConfig } from "../config/config.js";
import type { Database } from "../store/database.js";
import { handleError, installErrorHandler } from "./error-handler.js";
import { drainHandlersOnClose } from "./in-flight-handlers.js";
import { refuseNewRequestsOnClose } from "./refuse-during-shutdown.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerLoginRoute } from "./routes/login.js";
import { registerLogoutRoutes } from "./routes/logout.js";
import { registerPasswordRoute } from "./routes/password.js";
import { registerRefreshRoute } from "./routes/refresh.js";
import { registerRegisterRoute } from "./routes/register.js";
import type { RouteDeps } from "./routes/route-deps.js";
import { registerSessionRoutes } from "./routes/sessions.js";
import { registerUserinfoRoute } from "./routes/userinfo.js";

/** The settings buildApp reads. */
export type AppConfig = AuthConfig & Pick<ServerConfig, "bodyLimit" | "trustProxy" | "metricsToken">;

/** A route plugin of another module (the OAuth endpoints of src/http/routes/{token,revoke,…}). */
export type RoutePlugin = (app: FastifyInstance, deps: RouteDeps) => void | Promise<void>;

export interface AppDeps {
  config: AppConfig;
  db: Database;
  /** KeyManager. */
  keys: AuthKeys;
  hasher: PasswordHasherPort;
  passwordPolicy: PasswordPolicyPort;
  rateLimiter: LoginRateLimiterPort;
  metrics: AuthMetricsPort & RouteDeps["metrics"];
  /** From loadRefreshDerivationKey. */
  refreshDerivationKey: Buffer;
  /** Fastify's logger option (pino options with redaction from createLoggerOptions), or false. */
  logger?: FastifyServerOptions["logger"];
  /** A ready pino logger instead of options (tests capture log lines this way). */
  loggerInstance?: FastifyBaseLogger;
  routes?: readonly RoutePlugin[];
  /** The clock in ms since 1970 (tests freeze it). */
  now?: () => number;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The auth operations (for route plugins of other modules). */
    auth: AuthService;
  }
}

/**
 * Builds the HTTP application without listening (tests call `app.inject()` or `listen` on port 0;
 * src/serve.ts listens for real).
 *
 * Request bodies: at most `bodyLimit` bytes (413 beyond), JSON, validated against each route's
 * schema with no coercion and no silent removal of unknown fields — an unknown field or a number
 * where a string belongs is a 400, not something quietly "fixed".
 *
 * @example
 * const app = await buildApp({ config, db, keys, hasher, passwordPolicy, rateLimiter, metrics, refreshDerivationKey });
 * await app.listen({ port: 0, host: "127.0.0.1" });
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    bodyLimit: deps.config.bodyLimit,
    // Requests during shutdown get the catalogue's 503 (refuse-during-shutdown.ts), not Fastify's.
    return503OnClosing: false,
    // A malformed URL is answered outside the error handler unless it is named here as well.
    frameworkErrors: handleError,
    trustProxy: fastifyTrustProxy(deps.config.trustProxy),
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  // AuthService picks the fields it uses; the app's logger option gives way to the built logger.
  const auth = new AuthService({ ...deps, logger: app.log });
  app.decorate("auth", auth);
  app.decorateRequest("accessToken", null);
  // JSON only (the OAuth endpoints add form bodies in their own scope): Fastify's default text
  // parser would hand a string to a JSON schema and answer "must be object" instead of 415.
  app.removeContentTypeParser("text/plain");
  installErrorHandler(app);
  refuseNewRequestsOnClose(app);
  drainHandlersOnClose(app);

  const routeDeps: RouteDeps = { auth, config: deps.config, db: deps.db, metrics: deps.metrics };
  registerRegisterRoute(app, routeDeps);
  registerLoginRoute(app, routeDeps);
  registerRefreshRoute(app, routeDeps);
  registerLogoutRoutes(app, routeDeps);
  registerSessionRoutes(app, routeDeps);
  registerPasswordRoute(app, routeDeps);
  registerUserinfoRoute(app, routeDeps);
  registerHealthRoutes(app, {
    ...routeDeps,
    ...(deps.config.metricsToken === undefined ? {} : { metricsToken: deps.config.metricsToken }),
  });
  for (const plugin of deps.routes ?? []) await plugin(app, routeDeps);
  await app.ready();
  return app;
}

/** Fastify takes a hop count as a function (proxy-addr semantics: trust the nearest `hops` proxies). */
function fastifyTrustProxy(
  setting: ServerConfig["trustProxy"],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  if (typeof setting === "boolean") return setting;
  return [...setting];
}
