/**
 * Whether a 401 says the bearer token itself was refused (RFC 6750 §3.1 `invalid_token`: expired,
 * revoked, malformed), the one case a fresh token can fix. `invalid_request` or a challenge for
 * another scheme is not retried with a new token: it would fail the same way.
 */
export function isInvalidTokenChallenge(response: Response): boolean {
  const challenge = response.headers.get("www-authenticate") ?? "";
  return /\bbearer\b/i.test(challenge) && /(?:^|[\s,])error\s*=\s*"?invalid_token\b/i.test(challenge);
}
