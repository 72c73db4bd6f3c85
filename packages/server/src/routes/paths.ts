/**
 * Every path the server answers, relative to the issuer URL, in one place: the discovery
 * document, the route plugins and the docs name them from here.
 */
export const PATHS = {
  // The first-party JSON API (routes/auth).
  register: "/auth/register",
  login: "/auth/login",
  refresh: "/auth/refresh",
  logout: "/auth/logout",
  logoutAll: "/auth/logout-all",
  sessions: "/auth/sessions",
  password: "/auth/password",
  userinfo: "/userinfo",
  // Discovery and the OAuth endpoints (routes/oauth).
  openidConfiguration: "/.well-known/openid-configuration",
  authorizationServerMetadata: "/.well-known/oauth-authorization-server",
  jwks: "/.well-known/jwks.json",
  token: "/oauth/token",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  // For verifiers and gateways.
  revocationFeed: "/revocations/feed",
  forwardAuth: "/auth/verify",
  // Operations.
  healthz: "/healthz",
  readyz: "/readyz",
  metrics: "/metrics",
} as const;
