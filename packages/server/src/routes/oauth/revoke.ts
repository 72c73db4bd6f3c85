import type { FastifyInstance } from "fastify";
import { createAccessTokenCheck } from "../../auth/access-token.js";
import { isAuthError } from "../../auth/auth-error.js";
import type { AuthContext } from "../../auth/context.js";
import { logout } from "../../auth/logout.js";
import { type RevocationOutcome, revokeRefreshToken } from "../../auth/revoke-refresh-token.js";
import { requireIdentifiedClient } from "../../clients/authenticate-client.js";
import type { ServerContext } from "../../server-context.js";
import { PATHS } from "../paths.js";
import { clientFields, requiredFormParam } from "./form-scope.js";

/**
 * POST /oauth/revoke (RFC 7009). A confidential client authenticates, a registered public client
 * names itself by client_id (§2.1: credentials "in case of a confidential client"); either may
 * revoke only tokens issued to it. An access token ends its session, recorded as a durable
 * session revocation, so every token of that session is refused at once; a refresh token ends
 * its session likewise.
 *
 * The answer is 200 with an empty body whether or not the token was known, valid or someone
 * else's (§2.2: an invalid token is not an error, and the answer must not tell which). So that
 * the operator can still tell, every revocation that did nothing is logged with its reason.
 * `token_type_hint` is only a hint (§2.1): the token's form decides.
 */
export function registerRevocationRoute(
  scope: FastifyInstance,
  context: AuthContext & Pick<ServerContext, "revocations">,
): void {
  const check = createAccessTokenCheck(context, { audience: "any", subjects: "any" });
  scope.post(PATHS.revocation, async (request, reply) => {
    const client = await requireIdentifiedClient(context.db, {
      authorization: request.headers.authorization,
      body: clientFields(request.body),
    });
    const token = requiredFormParam(request.body, "token");
    const outcome = looksLikeJWT(token)
      ? await revokeAccessToken(context, check, token, client.id)
      : await revokeRefreshToken(context, token, { clientId: client.id });
    if (outcome !== "revoked") {
      request.log.info({ client_id: client.id, outcome }, "token revocation did nothing (answered 200, RFC 7009 §2.2)");
    }
    return reply.code(200).send();
  });
}

async function revokeAccessToken(
  context: AuthContext,
  check: ReturnType<typeof createAccessTokenCheck>,
  token: string,
  clientId: string,
): Promise<RevocationOutcome> {
  let claims: Awaited<ReturnType<typeof check>>;
  try {
    claims = await check(token, { allowRevoked: true });
  } catch (error) {
    if (isAuthError(error) && error.error === "invalid_token") return "unknown_token";
    throw error;
  }
  if (claims.clientId !== clientId) return "issued_to_another_client";
  // A service (client_credentials) token has no session; it expires within the access-token TTL.
  if (claims.sid === undefined) return "service_token_has_no_session";
  return (await logout(context, claims)) ? "revoked" : "already_ended";
}

function looksLikeJWT(token: string): boolean {
  return token.split(".").length === 3;
}
