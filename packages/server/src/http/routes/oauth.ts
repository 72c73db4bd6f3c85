import type { FastifyInstance } from "fastify";
import { registerIntrospectionRoute } from "./introspect.js";
import { registerJWKSRoutes } from "./jwks.js";
import type { OAuthRouteDeps } from "./oauth-deps.js";
import { prepareOAuthScope } from "./oauth-scope.js";
import { registerRevocationRoute } from "./revoke.js";
import { registerTokenRoute } from "./token.js";
import { registerDiscoveryRoutes } from "./well-known.js";

/**
 * Registers every endpoint of the keys & OAuth module: the metadata documents (RFC 8414), the
 * JWKS, and the form-encoded OAuth endpoints — token (RFC 6749), revocation (RFC 7009) and
 * introspection (RFC 7662) — in one encapsulated scope with their own §5.2 error handling.
 * Errors that are not OAuth's (database down, a bug) go on to the application's error handler.
 *
 * @example
 * await registerOAuthRoutes(app, { config, db, keys, clients, auth });
 */
export async function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): Promise<void> {
  await registerDiscoveryRoutes(app, deps);
  await registerJWKSRoutes(app, deps);
  await app.register(async (scope) => {
    await prepareOAuthScope(scope);
    await registerTokenRoute(scope, deps);
    await registerRevocationRoute(scope, deps);
    await registerIntrospectionRoute(scope, deps);
  });
}
