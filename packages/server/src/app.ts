import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import type { ServerConfig } from "./config/config.js";
import { allowWebOriginsOnTheApi } from "./http/cors.js";
import { handleError, installErrorHandler } from "./http/error-handler.js";
import { drainHandlersOnClose } from "./http/in-flight-handlers.js";
import { refuseNewRequestsOnClose } from "./http/refuse-during-shutdown.js";
import { logEachRequestOnce } from "./http/request-log.js";
import { sendSecurityHeaders } from "./http/security-headers.js";
import { registerHostedPages } from "./pages/hosted-pages.js";
import { authRoutes } from "./routes/auth/index.js";
import { forwardAuthRoutes } from "./routes/forward-auth.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { oauthRoutes } from "./routes/oauth/index.js";
import { revocationFeedRoutes } from "./routes/revocation-feed.js";
import type { ServerContext } from "./server-context.js";

/**
 * Builds the whole HTTP server on an open {@link ServerContext}, without listening (tests call
 * `app.inject()` or `listen` on port 0; serve.ts listens for real). Every route group is an
 * encapsulated Fastify plugin that receives the part of the context it uses:
 *
 * - routes/auth — the first-party JSON API (/auth/*, /userinfo);
 * - routes/oauth — discovery, JWKS, /oauth/token, /oauth/revoke, /oauth/introspect;
 * - routes/revocation-feed — the feed verifiers subscribe to;
 * - routes/forward-auth — /auth/verify for gateways;
 * - routes/health — /healthz, /readyz;
 * - routes/metrics — /metrics, here or, with SIGIL_METRICS_ADDRESS, on {@link buildMetricsApp}'s listener;
 * - pages — the hosted sign-in, sign-up, recovery and account pages (HTML, unless SIGIL_HOSTED_PAGES=false).
 *
 * Cross-cutting concerns are installed first, on the root, so every group inherits them: the one
 * error handler, the security headers, one log line per request, a 503 for requests arriving
 * during shutdown, the wait for handlers still running when the app closes, and CORS for the
 * JSON API's web origins (http/cors.ts).
 *
 * Request bodies: at most `bodyLimit` bytes (413 beyond), JSON (form bodies only in the OAuth
 * and pages scopes), validated against each route's schema with no coercion and no silent removal of
 * unknown fields — an unknown field or a number where a string belongs is a 400, not something
 * quietly "fixed".
 *
 * @example
 * const { context, close } = await openServerContext(config);
 * const app = await buildApp(context);
 * await app.listen({ port: 0, host: "127.0.0.1" });
 */
export async function buildApp(context: ServerContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    bodyLimit: context.config.bodyLimit,
    // Requests during shutdown get the catalogue's 503 (refuse-during-shutdown.ts), not Fastify's.
    return503OnClosing: false,
    // A malformed URL is answered outside the error handler unless it is named here as well.
    frameworkErrors: handleError,
    trustProxy: fastifyTrustProxy(context.config.trustProxy),
    loggerInstance: context.logger,
    // Fastify logs two lines per request; request-log.ts logs one.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  app.decorateRequest("accessToken", null);
  // JSON only (the OAuth endpoints add form bodies in their own scope): Fastify's default text
  // parser would hand a string to a JSON schema and answer "must be object" instead of 415.
  app.removeContentTypeParser("text/plain");
  installErrorHandler(app);
  sendSecurityHeaders(app);
  logEachRequestOnce(app);
  refuseNewRequestsOnClose(app);
  drainHandlersOnClose(app);
  // Cookies are read by the pages (the browser session, CSRF), by forward-auth, and by the API's
  // cookie mode (the refresh cookie of browser apps).
  await app.register(fastifyCookie);
  // Before the routes: a preflight is answered by a hook, ahead of any authentication.
  await allowWebOriginsOnTheApi(app, context.config);

  await app.register(healthRoutes, { context });
  if (context.config.metricsAddress === undefined) await app.register(metricsRoutes, { context });
  await app.register(authRoutes, { context });
  await app.register(oauthRoutes, { context });
  await app.register(revocationFeedRoutes, { context });
  await app.register(forwardAuthRoutes, { context });
  await registerHostedPages(app, context);
  await app.ready();
  return app;
}

/**
 * The listener of its own that serves GET /metrics when SIGIL_METRICS_ADDRESS is set, so the
 * metrics can be reached from an internal interface only.
 */
export async function buildMetricsApp(context: ServerContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: context.logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  installErrorHandler(app);
  sendSecurityHeaders(app);
  await app.register(metricsRoutes, { context });
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
