import type { FastifyInstance } from "fastify";
import type { RoutePlugin } from "../http/app.js";
import { registerForwardAuthRoute } from "../http/routes/forward-auth.js";
import { registerRevocationFeedRoute } from "../http/routes/revocation-feed.js";
import type { RouteDeps } from "../http/routes/route-deps.js";
import { RevocationFeedHub, type RevocationFeedHubOptions } from "./revocation-feed-hub.js";

export interface RevocationFeedPluginOptions {
  /** Hub tuning; `heartbeatSeconds` is `SIGIL_FEED_HEARTBEAT`. */
  hub?: Omit<RevocationFeedHubOptions, "logger">;
  /** /auth/verify also reads the access token from this cookie. */
  forwardAuthCookie?: string;
  /** For the TOKEN_REVOKED count of /auth/verify (Metrics). */
  metrics?: { readonly tokenCheckFailuresTotal: { inc(labels: { code: string }): void } };
}

declare module "fastify" {
  interface FastifyInstance {
    /** The process's revocation feed hub (set by revocationFeedPlugin). */
    revocationFeed: RevocationFeedHub;
  }
}

/**
 * The revocation feed and forward-auth endpoints as one route plugin for buildApp: starts the
 * process's hub on the app's database (initial load, LISTEN, timers), registers
 * GET /revocations/feed and GET /auth/verify, and stops the hub when the app closes.
 *
 * @example
 * await buildApp({ ...deps, routes: [revocationFeedPlugin({ hub: { heartbeatSeconds: 5 } })] });
 */
export function revocationFeedPlugin(options: RevocationFeedPluginOptions = {}): RoutePlugin {
  return async function registerRevocationFeed(app: FastifyInstance, deps: RouteDeps): Promise<void> {
    const hub = await RevocationFeedHub.start(deps.db, { ...options.hub, logger: app.log });
    app.decorate("revocationFeed", hub);
    app.addHook("onClose", async () => {
      await hub.stop();
    });
    registerRevocationFeedRoute(app, { hub, db: deps.db });
    registerForwardAuthRoute(app, {
      revocations: hub,
      auth: deps.auth,
      ...(options.forwardAuthCookie !== undefined ? { cookieName: options.forwardAuthCookie } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  };
}
