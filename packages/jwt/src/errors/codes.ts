/**
 * The error catalogue of the JWT engine: the single source of truth for every failure code.
 * Each code is stable (callers `switch` on it, logs and metrics are keyed by it); `summary` is a
 * short, secret-free default message; `fix` tells an operator what to do. docs/errors.md is
 * checked against this table by a test.
 */
export const JWT_ERRORS = {
  // --- Token shape (checked before any key or signature work) ---
  MALFORMED: {
    summary: "The token is not a well-formed compact JWS.",
    fix: "Send exactly three base64url segments (header.payload.signature) with JSON object header and payload; check that the client does not add quotes, padding or whitespace.",
  },
  TOKEN_TOO_LARGE: {
    summary: "The token is larger than the configured limit.",
    fix: "Keep claims small (no profile data in tokens), or raise maxTokenSize if the tokens are legitimately large.",
  },
  // --- Header and algorithm (RFC 8725 §3.1, §3.2) ---
  ALG_NOT_ALLOWED: {
    summary: "The token's algorithm is not in the verifier's allow-list.",
    fix: "Make the issuer sign with an allowed algorithm, or add its algorithm to `algorithms` if you trust it. `none` is never accepted.",
  },
  CRIT_UNSUPPORTED: {
    summary: "The token requires a header extension this verifier does not understand.",
    fix: "The issuer set `crit` (RFC 7515 §4.1.11) or `b64: false` (RFC 7797); Sigil does not support these extensions, so the token cannot be accepted.",
  },
  KEY_NOT_FOUND: {
    summary: "No key known to the verifier matches the token's key id.",
    fix: "Check that the verifier uses the issuer's current JWKS; after a key rotation the new key must be published before it signs.",
  },
  KEY_ALG_MISMATCH: {
    summary: "The key cannot be used with the token's algorithm.",
    fix: "The key's type, curve or declared algorithm differs from the token's `alg` (for example an RSA public key offered as an HMAC secret: the algorithm-confusion attack). Configure a key of the right type.",
  },
  SIGNATURE_INVALID: {
    summary: "The signature does not match the token's contents.",
    fix: "The token was altered, or signed with a different key than the verifier holds. Check the issuer's key and that the token was not truncated.",
  },
  // --- Claims (RFC 7519 §4.1) ---
  TOKEN_EXPIRED: {
    summary: "The token has expired.",
    fix: "Get a new access token (refresh). If tokens expire too early, check the clocks of issuer and verifier.",
  },
  NOT_YET_VALID: {
    summary: "The token is not valid yet (nbf).",
    fix: "Check the clocks of issuer and verifier; raise clockTolerance only for small, known skews.",
  },
  ISSUED_IN_FUTURE: {
    summary: "The token's issue time is in the future.",
    fix: "The issuer's clock or timezone is probably wrong: synchronise clocks (NTP) and make sure iat is UTC seconds.",
  },
  TOKEN_TOO_OLD: {
    summary: "The token was issued longer ago than maxTokenAge allows.",
    fix: "Get a fresh token, or raise maxTokenAge.",
  },
  CLAIM_INVALID: {
    summary: "A claim has the wrong type.",
    fix: "exp, nbf and iat must be NumericDate numbers (seconds since 1970, UTC); iss, sub and jti strings; aud a string or an array of strings.",
  },
  CLAIM_MISSING: {
    summary: "A required claim is missing.",
    fix: "Issue tokens with the claim, or drop it from requiredClaims. Tokens without exp are refused unless the verifier explicitly opts out.",
  },
  CLAIM_MISMATCH: {
    summary: "A claim does not have the expected value.",
    fix: "Compare the token's claim with the verifier's configuration (issuer, audience, subject).",
  },
  TYP_MISMATCH: {
    summary: "The token's type (typ header) is not the expected one.",
    fix: "Access tokens must carry typ at+jwt (RFC 9068 §2.1); do not accept ID tokens or other JWTs as access tokens.",
  },
  // --- Keys and configuration ---
  WEAK_SECRET: {
    summary: "The HMAC secret is too weak to use.",
    fix: "Generate a random secret of at least 32 bytes (`sigil secret`) and keep it out of source control.",
  },
  KEY_INVALID: {
    summary: "The key could not be read or is not acceptable.",
    fix: "Check that the file holds a PEM or JWK key of a supported type (Ed25519, P-256/384/521, RSA >= 2048 bits, or an HMAC secret).",
  },
  OPTIONS_INVALID: {
    summary: "An option passed to Sigil is invalid.",
    fix: "Read the message: it names the option and what it accepts.",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

/** A stable, machine-readable failure code of the JWT engine. */
export type JWTErrorCode = keyof typeof JWT_ERRORS;
