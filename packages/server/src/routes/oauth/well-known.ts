import type { FastifyInstance } from "fastify";
import { CLIENT_AUTH_METHODS } from "../../clients/authenticate-client.js";
import { GRANT_TYPES } from "../../clients/client.js";
import { isOpenIdProvider } from "../../oidc/provider.js";
import { OIDC_SCOPES } from "../../oidc/scopes.js";
import type { ServerContext } from "../../server-context.js";
import { PATHS } from "../paths.js";

/** What the metadata document is built from. */
export type DiscoveryContext = Pick<ServerContext, "config" | "keys">;

/**
 * The discovery document: OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3), which is
 * also OAuth authorization server metadata (RFC 8414 §2), served at both well-known paths. It
 * advertises exactly what works: the authorization endpoint, the code flow and logout only while
 * the server is an OpenID provider (oidc/provider.ts); the password grant only while
 * SIGIL_PASSWORD_GRANT is on.
 */
export function buildMetadata(deps: DiscoveryContext): Record<string, unknown> {
  const { config } = deps;
  const base = config.issuer;
  const endpointAuth = [...CLIENT_AUTH_METHODS];
  const provider = isOpenIdProvider(config);
  const grants = GRANT_TYPES.filter(
    (grant) => (grant !== "password" || config.passwordGrant) && (grant !== "authorization_code" || provider),
  );
  const algorithms = signingAlgorithms(deps);
  const browserFlow = provider
    ? {
        authorization_endpoint: base + PATHS.authorize,
        end_session_endpoint: base + PATHS.endSession,
      }
    : {};
  return {
    issuer: base,
    ...browserFlow,
    token_endpoint: base + PATHS.token,
    jwks_uri: base + PATHS.jwks,
    userinfo_endpoint: base + PATHS.userinfo,
    revocation_endpoint: base + PATHS.revocation,
    introspection_endpoint: base + PATHS.introspection,
    scopes_supported: [...OIDC_SCOPES],
    response_types_supported: provider ? ["code"] : [],
    response_modes_supported: ["query"],
    grant_types_supported: grants,
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: algorithms,
    code_challenge_methods_supported: ["S256"],
    claims_supported: [
      "iss",
      "sub",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "amr",
      "sid",
      "email",
      "email_verified",
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ["none", "login", "consent"],
    // "none": public clients identify themselves by client_id (PKCE binds their codes).
    token_endpoint_auth_methods_supported: [...endpointAuth, "none"],
    // "none": a registered public client revokes its own tokens by client_id (RFC 7009 §2.1).
    revocation_endpoint_auth_methods_supported: [...endpointAuth, "none"],
    introspection_endpoint_auth_methods_supported: endpointAuth,
    // No registered metadata name describes the access-token signature (RFC 9068 has none), so
    // this one is Sigil's own: the algorithms of every key a verifier may meet now.
    sigil_access_token_signing_alg_values_supported: algorithms,
    // Sigil's own too: the revocation feed verifiers subscribe to (Server-Sent Events).
    sigil_revocation_feed_endpoint: base + PATHS.revocationFeed,
  };
}

function signingAlgorithms(deps: DiscoveryContext): string[] {
  const algs = new Set<string>([deps.config.signingAlg]);
  for (const key of deps.keys.jwks().keys) if (typeof key.alg === "string") algs.add(key.alg);
  return [...algs].sort();
}

const strings = { type: "array", items: { type: "string" } } as const;
const metadataSchema = {
  type: "object",
  properties: {
    issuer: { type: "string" },
    authorization_endpoint: { type: "string" },
    end_session_endpoint: { type: "string" },
    token_endpoint: { type: "string" },
    jwks_uri: { type: "string" },
    userinfo_endpoint: { type: "string" },
    revocation_endpoint: { type: "string" },
    introspection_endpoint: { type: "string" },
    scopes_supported: strings,
    response_types_supported: strings,
    response_modes_supported: strings,
    grant_types_supported: strings,
    subject_types_supported: strings,
    id_token_signing_alg_values_supported: strings,
    code_challenge_methods_supported: strings,
    claims_supported: strings,
    claims_parameter_supported: { type: "boolean" },
    request_parameter_supported: { type: "boolean" },
    request_uri_parameter_supported: { type: "boolean" },
    authorization_response_iss_parameter_supported: { type: "boolean" },
    prompt_values_supported: strings,
    token_endpoint_auth_methods_supported: strings,
    revocation_endpoint_auth_methods_supported: strings,
    introspection_endpoint_auth_methods_supported: strings,
    sigil_access_token_signing_alg_values_supported: strings,
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
