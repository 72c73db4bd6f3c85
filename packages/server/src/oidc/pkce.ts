import { createHash, timingSafeEqual } from "node:crypto";

/**
 * PKCE (RFC 7636) with S256 only: `plain` would send the verifier itself through the browser,
 * which is what PKCE exists to avoid (RFC 9700 §2.1.1). A challenge is the base64url SHA-256 of
 * the verifier: 43 characters. A verifier is 43 to 128 unreserved characters (§4.1).
 */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function isValidCodeChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** Whether `verifier` is the one whose S256 challenge is `challenge` (constant time). */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !CHALLENGE.test(challenge)) return false;
  const computed = createHash("sha256").update(verifier).digest();
  const expected = Buffer.from(challenge, "base64url");
  return expected.length === computed.length && timingSafeEqual(computed, expected);
}
