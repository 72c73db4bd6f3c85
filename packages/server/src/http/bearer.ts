import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccessTokenClaims } from "../auth/access-token.js";
import { AuthError } from "../auth/auth-error.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified, unrevoked access token's claims, set by requireAccessToken. */
    accessToken: AccessTokenClaims | null;
  }
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; b64token = 1*(ALPHA / DIGIT / "-" / "." /
// "_" / "~" / "+" / "/") *"=". The scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^Bearer(?: |$)/i;

/**
 * The token of an `Authorization: Bearer …` header: the token; `null` when the request carries
 * no Bearer credentials (absent header or another scheme); `"malformed"` when it tries to.
 */
export function parseBearer(header: string | undefined): string | null | "malformed" {
  if (header === undefined) return null;
  const value = header.trim();
  if (!SCHEME.test(value)) return null;
  return BEARER.exec(value)?.[1] ?? "malformed";
}

/**
 * A preHandler for resource endpoints: a missing token → 401 `missing_token` (challenge without
 * error code, RFC 6750 §3.1); any rejected token → 401 `invalid_token` (reason logged only).
 */
export function requireAccessToken(
  check: (token: string) => Promise<AccessTokenClaims>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async function authenticateBearer(request: FastifyRequest): Promise<void> {
    const token = parseBearer(request.headers.authorization);
    if (token === null) throw new AuthError("missing_token");
    if (token === "malformed") throw new AuthError("invalid_token", { internalReason: "MALFORMED_AUTHORIZATION" });
    request.accessToken = await check(token);
  };
}

/** The claims set by requireAccessToken (routes using it can rely on them). */
export function claimsOf(request: FastifyRequest): AccessTokenClaims {
  if (!request.accessToken) throw new AuthError("missing_token");
  return request.accessToken;
}
