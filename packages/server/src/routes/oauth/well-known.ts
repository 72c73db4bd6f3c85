import type { FastifyInstance } from "fastify";
import { CLIENT_AUTH_METHODS } from "../../clients/authenticate-client.js";
import { GRANT_TYPES } from "../../clients/client.js";
import type { ServerContext } from "../../server-context.js";
import { PATHS } from "../paths.js";

/** What the metadata document is built from. */
export type DiscoveryContext = Pick<ServerContext, "config" | "keys">;

/**
 * Authorization server metadata (RFC 8414 §2). Sigil is an OAuth authorization server, not an
 * OpenID provider: it issues no ID tokens and has no authorization endpoint, so the document
 * claims none (`response_types_supported` is empty, no `id_token_signing_alg_values_supported`).
 * The same document is served at the OpenID path because many client libraries only look there
 * (RFC 8414 §5 allows both well-known suffixes).
 */
export function buildMetadata(deps: DiscoveryContext): Record<string, unknown> {
  const base = deps.config.issuer;
  const endpointAuth = [...CLIENT_AUTH_METHODS];
  return {
    issuer: base,
    token_endpoint: base + PATHS.token,
    jwks_uri: base + PATHS.jwks,
    userinfo_endpoint: base + PATHS.userinfo,
    revocation_endpoint: base + PATHS.revocation,
    introspection_endpoint: base + PATHS.introspection,
    grant_types_supported: [...GRANT_TYPES],
    // RFC 8414 §2 requires the member; there is no authorization endpoint, hence no response type.
    response_types_supported: [],
    // "none": public first-party clients identify themselves by client_id for password/refresh grants.
    token_endpoint_auth_methods_supported: [...endpointAuth, "none"],
    // "none": a registered public client revokes its own tokens by client_id (RFC 7009 §2.1).
    revocation_endpoint_auth_methods_supported: [...endpointAuth, "none"],
    introspection_endpoint_auth_methods_supported: endpointAuth,
    // No registered metadata name describes the access-token signature (RFC 9068 has none), so
    // this one is Sigil's own: the algorithms of every key a verifier may meet now.
    sigil_access_token_signing_alg_values_supported: signingAlgorithms(deps),
    // Sigil's own too: the revocation feed verifiers subscribe to (Server-Sent Events).
    sigil_revocation_feed_endpoint: base + PATHS.revocationFeed,
  };
}

function signingAlgorithms(deps: DiscoveryContext): string[] {
  const algs = new Set<string>([deps.config.signingAlg]);
  for (const key of deps.keys.jwks().keys) if (typeof key.alg === "string") algs.add(key.alg);
  return [...algs].sort();
}

const metadataSchema = {
  type: "object",
  properties: {
    issuer: { type: "string" },
    token_endpoint: { type: "string" },
    jwks_uri: { type: "string" },
    userinfo_endpoint: { type: "string" },
    revocation_endpoint: { type: "string" },
    introspection_endpoint: { type: "string" },
    grant_types_supported: { type: "array", items: { type: "string" } },
    response_types_supported: { type: "array", items: { type: "string" } },
    token_endpoint_auth_methods_supported: { type: "array", items: { type: "string" } },
    revocation_endpoint_auth_methods_supported: { type: "array", items: { type: "string" } },
    introspection_endpoint_auth_methods_supported: { type: "array", items: { type: "string" } },
    sigil_access_token_signing_alg_values_supported: { type: "array", items: { type: "string" } },
    sigil_revocation_feed_endpoint: { type: "string" },
  },
} as const;

/**
 * GET /.well-known/oauth-authorization-server and /.well-known/openid-configuration.
 *
 * @example
 * registerDiscoveryRoutes(app, context);
 */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: DiscoveryContext): void {
  const handler = async (): Promise<Record<string, unknown>> => buildMetadata(deps);
  const options = {
    schema: { response: { 200: metadataSchema } },
    onSend: async (_request: unknown, reply: { header(name: string, value: string): unknown }, payload: unknown) => {
      // Metadata changes only with configuration (and algorithms during a rotation): cache like the JWKS.
      reply.header("cache-control", `public, max-age=${deps.config.jwksMaxAge}`);
      return payload;
    },
  };
  app.get(PATHS.authorizationServerMetadata, options, handler);
  app.get(PATHS.openidConfiguration, options, handler);
}
