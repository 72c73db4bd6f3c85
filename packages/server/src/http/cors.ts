import fastifyCors, { type FastifyCorsOptions } from "@fastify/cors";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerConfig } from "../config/config.js";
import { PATHS } from "../routes/paths.js";
import { COOKIE_MODE_HEADER } from "./cookie-mode.js";

/**
 * CORS for the first-party JSON API, through @fastify/cors, so that a single-page app on another
 * origin (SIGIL_WEB_ORIGINS) can sign in with cookie mode and call /userinfo.
 *
 * - Exactly the listed origins, with credentials (the refresh cookie); any other origin gets no
 *   `Access-Control-Allow-Origin`, so its page cannot read an answer nor pass a preflight.
 * - Only the JSON API (/auth/*, /userinfo), never the hosted pages (they are navigated to, not
 *   fetched) nor the endpoints of gateways, verifiers and operators.
 * - The request headers an app sends — `Content-Type` (JSON makes the request non-simple),
 *   `Authorization` and `Sigil-Refresh-Cookie` — and the answer headers the client reads:
 *   `Date` (the server's clock), `Retry-After` (429, 503) and `WWW-Authenticate` (which 401 a
 *   new token can fix). `Date` is not CORS-safelisted, so it must be exposed explicitly.
 *
 * With no origin listed, nothing is registered: same-origin apps need no CORS.
 */
export async function allowWebOriginsOnTheApi(
  app: FastifyInstance,
  config: Pick<ServerConfig, "webOrigins">,
): Promise<void> {
  if (config.webOrigins.length === 0) return;
  const api: FastifyCorsOptions = {
    origin: [...config.webOrigins],
    credentials: true,
    methods: ["GET", "HEAD", "POST", "DELETE"],
    allowedHeaders: ["content-type", "authorization", COOKIE_MODE_HEADER],
    exposedHeaders: ["date", "retry-after", "www-authenticate"],
    // Browsers cap it anyway (Chromium: 2 h); it saves a preflight per request.
    maxAge: 600,
  };
  const none: FastifyCorsOptions = { origin: false };
  await app.register(fastifyCors, {
    delegator: (request: FastifyRequest, done: (error: Error | null, options: FastifyCorsOptions) => void) =>
      done(null, isJsonApi(request) ? api : none),
  });
}

/** /auth/* and /userinfo, except forward auth (/auth/verify), which gateways call, not pages. */
function isJsonApi(request: FastifyRequest): boolean {
  const path = request.url.split("?", 1)[0] ?? "";
  if (path === PATHS.forwardAuth) return false;
  return path.startsWith("/auth/") || path === PATHS.userinfo;
}
