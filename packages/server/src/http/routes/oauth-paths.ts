import { USERINFO_PATH } from "./userinfo.js";

/** The paths of the OAuth and discovery endpoints (relative to the issuer URL). */
export const OAUTH_PATHS = {
  openidConfiguration: "/.well-known/openid-configuration",
  authorizationServerMetadata: "/.well-known/oauth-authorization-server",
  jwks: "/.well-known/jwks.json",
  token: "/oauth/token",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  /** Served by the userinfo route (src/http/routes/userinfo.ts). */
  userinfo: USERINFO_PATH,
} as const;
