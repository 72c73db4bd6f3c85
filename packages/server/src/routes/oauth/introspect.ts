import type { FastifyInstance } from "fastify";
import type { AuthContext } from "../../auth/context.js";
import { createAccessTokenIntrospection } from "../../auth/introspect-access-token.js";
import { requireAuthenticatedClient } from "../../clients/authenticate-client.js";
import { requirePermission } from "../../clients/client-permissions.js";
import type { ServerContext } from "../../server-context.js";
import { PATHS } from "../paths.js";
import { clientFields, requiredFormParam } from "./form-scope.js";

const introspectionSchema = {
  type: "object",
  required: ["active"],
  properties: {
    active: { type: "boolean" },
    scope: { type: "string" },
    client_id: { type: "string" },
    sub: { type: "string" },
    exp: { type: "integer" },
    iat: { type: "integer" },
    iss: { type: "string" },
    aud: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    jti: { type: "string" },
    token_type: { type: "string" },
    sid: { type: "string" },
  },
} as const;

/**
 * POST /oauth/introspect (RFC 7662). Only registered clients that prove their secret and were
 * granted the `introspection` permission may ask (§2.1 leaves who may to the server; others get
 * 401 invalid_client or 403 unauthorized_client), so the endpoint is no oracle for scanned tokens.
 * Invalid, expired, revoked, foreign and refresh tokens all answer `{"active": false}` (§2.2).
 * `token_type_hint` is accepted and ignored: only access tokens can be active here.
 */
export function registerIntrospectionRoute(
  scope: FastifyInstance,
  context: AuthContext & Pick<ServerContext, "revocations">,
): void {
  const introspect = createAccessTokenIntrospection(context);
  scope.post(PATHS.introspection, { schema: { response: { 200: introspectionSchema } } }, async (request) => {
    const client = await requireAuthenticatedClient(context.db, {
      authorization: request.headers.authorization,
      body: clientFields(request.body),
    });
    requirePermission(client, "introspection");
    const token = requiredFormParam(request.body, "token");
    return introspect(token);
  });
}
