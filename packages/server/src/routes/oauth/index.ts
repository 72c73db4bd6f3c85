import type { FastifyPluginAsync } from "fastify";
import type { AuthContext } from "../../auth/context.js";
import type { ServerContext } from "../../server-context.js";
import { prepareFormScope } from "./form-scope.js";
import { registerIntrospectionRoute } from "./introspect.js";
import { registerJWKSRoute } from "./jwks.js";
import { registerRevocationRoute } from "./revoke.js";
import { registerTokenRoute } from "./token.js";
import { registerDiscoveryRoutes } from "./well-known.js";

export interface OAuthRoutesOptions {
  context: AuthContext & Pick<ServerContext, "revocations">;
}

/**
 * The keys & OAuth endpoints: the metadata documents (RFC 8414), the JWKS, and — in a scope of
 * their own, with form bodies and RFC 6749 §5.2 error answers — token (RFC 6749), revocation
 * (RFC 7009) and introspection (RFC 7662). Errors that are not OAuth's (database down, a bug) go
 * on to the application's error handler.
 */
export const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async function oauthRoutes(app, { context }) {
  registerDiscoveryRoutes(app, context);
  registerJWKSRoute(app, context);
  await app.register(async function oauthFormEndpoints(scope) {
    await prepareFormScope(scope);
    registerTokenRoute(scope, context);
    registerRevocationRoute(scope, context);
    registerIntrospectionRoute(scope, context);
  });
};
