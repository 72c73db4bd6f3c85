import type { FastifyInstance } from "fastify";
import { issueClientCredentialsToken } from "../../auth/client-credentials.js";
import type { AuthContext } from "../../auth/context.js";
import { login } from "../../auth/login.js";
import { refresh } from "../../auth/refresh.js";
import type { TokenPair } from "../../auth/start-session.js";
import { authenticateClient, type ClientAuthentication } from "../../clients/authenticate-client.js";
import { FIRST_PARTY_CLIENT_ID, type GrantType } from "../../clients/client.js";
import { grantableScopes } from "../../clients/client-scopes.js";
import { OAuthError } from "../../clients/oauth-error.js";
import { exchangeAuthorizationCode } from "../../oidc/authorization-code.js";
import { isOpenIdProvider } from "../../oidc/provider.js";
import { PATHS } from "../paths.js";
import { clientFields, formParam, requiredFormParam } from "./form-scope.js";

/** RFC 6749 §5.1 successful response; the schema is also the list of fields allowed out. */
const tokenResponseSchema = {
  type: "object",
  required: ["access_token", "token_type", "expires_in"],
  properties: {
    access_token: { type: "string" },
    token_type: { type: "string" },
    expires_in: { type: "integer" },
    refresh_token: { type: "string" },
    scope: { type: "string" },
    // OpenID Connect Core §3.1.3.3, after an authorization_code grant with the openid scope.
    id_token: { type: "string" },
    // Sigil's own, after a password grant: the device credential to send at the next sign-in.
    device_token: { type: "string" },
  },
} as const;

interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  device_token?: string;
}

/**
 * POST /oauth/token (RFC 6749 §3.2): `authorization_code` (§4.1.3, with PKCE), `refresh_token`
 * (§6), `client_credentials` (§4.4, registered confidential clients only), and `password` (§4.3)
 * only while SIGIL_PASSWORD_GRANT is on. Call inside a scope prepared by prepareFormScope.
 */
export function registerTokenRoute(scope: FastifyInstance, context: AuthContext): void {
  scope.post(PATHS.token, { schema: { response: { 200: tokenResponseSchema } } }, async (request) => {
    const body = request.body;
    const grantType = requiredFormParam(body, "grant_type");
    if (
      grantType !== "authorization_code" &&
      grantType !== "password" &&
      grantType !== "refresh_token" &&
      grantType !== "client_credentials"
    ) {
      throw new OAuthError("unsupported_grant_type", "The grant type is not supported.");
    }
    if (grantType === "authorization_code" && !isOpenIdProvider(context.config)) {
      throw new OAuthError("unsupported_grant_type", "The grant type is not supported.", {
        reason: "this server is not an OpenID provider (SIGIL_HOSTED_PAGES off, or HS256 signing)",
      });
    }
    if (grantType === "password" && !context.config.passwordGrant) {
      throw new OAuthError("unsupported_grant_type", "The grant type is not supported.", {
        reason: "the password grant is off (RFC 9700 §2.4); SIGIL_PASSWORD_GRANT=true turns it on for migrations",
      });
    }
    const auth = await authenticateClient(context.db, {
      authorization: request.headers.authorization,
      body: clientFields(body),
    });
    if (grantType === "client_credentials") return clientCredentials(context, auth, body);
    const origin = { userAgent: request.headers["user-agent"] ?? null, ip: request.ip };
    if (grantType === "authorization_code") return authorizationCode(context, auth, body, origin);
    const clientId = allowedClientId(auth, grantType, FIRST_PARTY_CLIENT_ID);
    if (grantType === "password") {
      const email = requiredFormParam(body, "username");
      const password = requiredFormParam(body, "password");
      const deviceCredential = formParam(body, "device_token");
      const result = await login(context, { email, password, clientId, deviceCredential, ...origin });
      return { ...toResponse(result), device_token: result.deviceCredential };
    }
    const refreshToken = requiredFormParam(body, "refresh_token");
    // The caller is the client that authenticated or named itself; with none, no session is
    // its own (first-party sessions refresh at /auth/refresh only).
    const caller = auth.kind === "none" ? null : auth.client.id;
    return toResponse(await refresh(context, { refreshToken, clientId: caller, ...origin }));
  });
}

async function authorizationCode(
  context: AuthContext,
  auth: ClientAuthentication,
  body: unknown,
  origin: { userAgent: string | null; ip: string },
): Promise<TokenResponse> {
  // RFC 6749 §4.1.3: a confidential client authenticates; a public one names itself (PKCE binds it).
  if (auth.kind === "none") {
    throw new OAuthError("invalid_client", "Client authentication failed.", { reason: "no client_id" });
  }
  if (!auth.client.grantTypes.includes("authorization_code")) {
    throw new OAuthError("unauthorized_client", "The client may not use this grant type.");
  }
  const exchanged = await exchangeAuthorizationCode(context, {
    code: requiredFormParam(body, "code"),
    client: auth.client,
    redirectUri: formParam(body, "redirect_uri"),
    codeVerifier: formParam(body, "code_verifier"),
    ...origin,
  });
  const response: TokenResponse = {
    access_token: exchanged.pair.accessToken,
    token_type: "Bearer",
    expires_in: exchanged.pair.expiresIn,
    scope: exchanged.scope,
  };
  if (exchanged.includeRefreshToken) response.refresh_token = exchanged.pair.refreshToken;
  if (exchanged.idToken !== undefined) response.id_token = exchanged.idToken;
  return response;
}

function clientCredentials(context: AuthContext, auth: ClientAuthentication, body: unknown): TokenResponse {
  // RFC 6749 §4.4.2: the client MUST authenticate; public clients cannot use this grant.
  if (auth.kind !== "authenticated") {
    throw new OAuthError("invalid_client", "Client authentication failed.", { reason: `client ${auth.kind}` });
  }
  const { client } = auth;
  if (!client.grantTypes.includes("client_credentials")) {
    throw new OAuthError("unauthorized_client", "The client may not use this grant type.");
  }
  const scopes = grantableScopes(client, formParam(body, "scope"));
  if (scopes === null) throw new OAuthError("invalid_scope", "The requested scope is not allowed for this client.");
  const scope = scopes.length > 0 ? scopes.join(" ") : undefined;
  const issued = issueClientCredentialsToken(context, client, scope);
  const response: TokenResponse = {
    access_token: issued.token,
    token_type: "Bearer",
    expires_in: issued.expiresIn,
  };
  // RFC 6749 §5.1: scope is returned (it may differ from the request when none was asked for).
  if (scope !== undefined) response.scope = scope;
  return response;
}

/**
 * The session's client for the user grants: a named client must be allowed the grant
 * (unauthorized_client, §5.2); with no client at all the request is the first-party app's,
 * exactly as /auth/login is (RFC 6749 §4.3.2 requires authentication only of clients that have
 * credentials).
 */
function allowedClientId(auth: ClientAuthentication, grantType: GrantType, firstParty: string): string {
  if (auth.kind === "none") return firstParty;
  if (!auth.client.grantTypes.includes(grantType)) {
    throw new OAuthError("unauthorized_client", "The client may not use this grant type.");
  }
  return auth.client.id;
}

function toResponse(pair: TokenPair): TokenResponse {
  return {
    access_token: pair.accessToken,
    token_type: "Bearer",
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
  };
}
