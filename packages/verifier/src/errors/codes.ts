/**
 * The verifier's own error catalogue, in the style of @sigil/jwt's (`JWT_ERRORS`): a stable
 * `code` per failure, a short secret-free `summary`, and a `fix` for the operator. Failures of the
 * token itself (expired, bad signature, ...) keep their @sigil/jwt codes; these codes cover what
 * the verifier adds on top: key distribution, revocation and the request's credentials.
 * Every one of them answers a client with RFC 6750 `invalid_token` (or `invalid_request`) only.
 */
export const VERIFIER_ERRORS = {
  TOKEN_REVOKED: {
    summary: "The token was revoked (its session ended or its user's tokens were invalidated).",
    fix: "The user logged out, changed password or was disabled: the client must log in again. Nothing to fix on the verifier.",
  },
  SUBJECT_NOT_ACCEPTED: {
    summary:
      "The token is valid but of a kind this service does not accept: a service (client_credentials) token where users' are expected, or the reverse.",
    fix: 'Users call user APIs with their access tokens; services call service APIs with client_credentials tokens. If this service must take both, create the verifier with subjects: "both".',
  },
  TOKEN_INACTIVE: {
    summary: "The introspection endpoint says the token is not active.",
    fix: "The token was revoked or has expired at the auth server; the client must get a new one.",
  },
  REVOCATION_STALE: {
    summary: "The revocation mirror is stale, so the token cannot be accepted (fail-closed policy).",
    fix: "The verifier has not heard from the revocation feed within staleAfterMs: check that the auth server is up, that the feed URL and client credentials are right, and that no proxy buffers the event stream. Or choose onStale: 'introspect'.",
  },
  INTROSPECTION_FAILED: {
    summary: "The introspection endpoint could not be reached or answered badly while the mirror was stale.",
    fix: "Check the auth server's introspection endpoint and the verifier's client credentials; until the feed or introspection works, tokens are refused.",
  },
  JWKS_UNAVAILABLE: {
    summary: "The verifier has no key set yet: the JWKS could not be fetched.",
    fix: "Check that the auth server is up and that jwksUri (or the issuer's metadata) is right; the verifier keeps retrying in the background.",
  },
  JWKS_INVALID: {
    summary: "The JWKS document is not a usable JWK Set.",
    fix: 'The jwks_uri must answer 200 with a JSON object {"keys":[...]} holding at least one public key of an allowed algorithm. The last good key set stays in use.',
  },
  DISCOVERY_FAILED: {
    summary: "The issuer's metadata could not be read or does not match the configured issuer.",
    fix: "Check the issuer URL (scheme, host, port, path, no trailing slash unless the issuer has one): RFC 8414 §3.3 requires the metadata's issuer to equal it exactly. Or configure jwksUri directly.",
  },
  FEED_UNAVAILABLE: {
    summary: "The revocation feed could not be reached, refused the client, or sent something unusable.",
    fix: "Check the feed URL, the verifier's clientId/clientSecret (a registered client of the auth server) and that no proxy buffers text/event-stream. The verifier reconnects with backoff.",
  },
  TOKEN_MISSING: {
    summary: "The request carries no bearer token.",
    fix: "Send `Authorization: Bearer <token>` (RFC 6750 §2.1).",
  },
  REQUEST_INVALID: {
    summary: "The request's credentials are malformed (a bad Authorization header or several of them).",
    fix: "Send exactly one `Authorization: Bearer <token>` header with one token and no extra parameters (RFC 6750 §2.1).",
  },
  INSUFFICIENT_SCOPE: {
    summary: "The token is valid but lacks a scope or role this route requires.",
    fix: "Request a token with the required scope, or give the user the role; the WWW-Authenticate header names the scopes.",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

/** A stable, machine-readable failure code of the verifier (in addition to @sigil/jwt's codes). */
export type VerifierErrorCode = keyof typeof VERIFIER_ERRORS;
