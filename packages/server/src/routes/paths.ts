/** OpenID Connect's browser endpoints: served by the hosted pages, named in discovery. */
const AUTHORIZE = "/oauth/authorize";
const END_SESSION = "/oauth/logout";

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
  logoutOthers: "/auth/logout-others",
  // Account recovery and verification by mail (routes/auth/account-mail-flows.ts).
  verifyEmail: "/auth/email/verify",
  resendVerification: "/auth/email/verify/resend",
  forgotPassword: "/auth/password/forgot",
  resetPassword: "/auth/password/reset",
  changeEmail: "/auth/email",
  confirmEmail: "/auth/email/confirm",
  userinfo: "/userinfo",
  // Discovery and the OAuth endpoints (routes/oauth).
  openidConfiguration: "/.well-known/openid-configuration",
  authorizationServerMetadata: "/.well-known/oauth-authorization-server",
  jwks: "/.well-known/jwks.json",
  authorize: AUTHORIZE,
  token: "/oauth/token",
  endSession: END_SESSION,
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

/**
 * The hosted pages (src/pages), relative to the issuer URL. The mail's links open three of them
 * (verifyEmail, resetPassword, confirmEmail), each asking for one click before it uses the link.
 */
export const PAGE_PATHS = {
  home: "/",
  signIn: "/sign-in",
  signUp: "/sign-up",
  signOut: "/sign-out",
  forgotPassword: "/forgot-password",
  resetPassword: "/reset-password",
  verifyEmail: "/verify-email",
  confirmEmail: "/confirm-email",
  account: "/account",
  endSession: "/account/sessions/end",
  endOtherSessions: "/account/sessions/end-others",
  changePassword: "/account/password",
  changeEmail: "/account/email",
  revokeApp: "/account/apps/revoke",
  resendVerification: "/verify-email/resend",
  stylesheet: "/assets/sigil.css",
  brandStylesheet: "/assets/brand.css",
  icon: "/assets/icon.svg",
  // OpenID Connect (pages/routes/authorize.ts, end-session.ts).
  authorize: AUTHORIZE,
  oidcLogout: END_SESSION,
} as const;
