import type { FastifyInstance } from "fastify";
import { createIntrospector } from "../../clients/introspect-token.js";
import type { OAuthRouteDeps } from "./oauth-deps.js";
import { OAUTH_PATHS } from "./oauth-paths.js";
import { clientFields, requiredFormParam } from "./oauth-scope.js";

/**
 * POST /oauth/revoke (RFC 7009). A confidential client authenticates, a registered public client
 * names itself by client_id (§2.1: credentials "in case of a confidential client"); either may
 * revoke only tokens issued to it. An access token ends its session, recorded as a durable
 * session revocation, so every token of that session is refused at once; a refresh token ends
 * its session likewise.
 * The answer is 200 with an empty body whether or not the token was known, valid or someone
 * else's (§2.2: an invalid token is not an error, and the answer must not tell which).
 * `token_type_hint` is only a hint (§2.1): the token's form decides.
 */
export async function registerRevocationRoute(scope: FastifyInstance, deps: OAuthRouteDeps): Promise<void> {
  const introspect = createIntrospector({
    config: deps.config,
    keys: deps.keys,
    db: deps.db,
    ...(deps.now ? { now: deps.now } : {}),
  });
  scope.post(OAUTH_PATHS.revocation, async (request, reply) => {
    const client = await deps.clients.requireIdentified({
      authorization: request.headers.authorization,
      body: clientFields(request.body),
    });
    const token = requiredFormParam(request.body, "token");
    if (looksLikeJWT(token)) {
      const info = await introspect(token);
      // A client_credentials token has no session; it expires within the access-token TTL.
      if (info.active && info.client_id === client.id && info.sid !== undefined) {
        await deps.auth.logout({
          sub: info.sub,
          sid: info.sid,
          clientId: info.client_id,
          scope: info.scope,
          roles: [],
          iat: info.iat,
          exp: info.exp,
          jti: info.jti,
        });
      }
    } else {
      await deps.auth.revokeRefreshToken(token, { clientId: client.id });
    }
    return reply.code(200).send();
  });
}

function looksLikeJWT(token: string): boolean {
  return token.split(".").length === 3;
}
