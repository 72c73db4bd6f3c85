/** Where the revocation feed is served (advertised as `sigil_revocation_feed_endpoint`). */
export const REVOCATION_FEED_PATH = "/revocations/feed";

/** The forward-auth endpoint for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz). */
export const FORWARD_AUTH_PATH = "/auth/verify";
