import type { ServerConfig } from "../config/config.js";

/**
 * Whether this server acts as an OpenID provider (the authorization code flow, ID tokens,
 * RP-initiated logout): it needs the hosted pages (the flow's browser side: sign-in, consent)
 * and an asymmetric signing algorithm — with HS256 (single-service mode) nobody but the server
 * could verify an ID token. One rule, read by discovery, the routes and the token endpoint.
 */
export function isOpenIdProvider(config: Pick<ServerConfig, "hostedPages" | "signingAlg">): boolean {
  return config.hostedPages && config.signingAlg !== "HS256";
}
