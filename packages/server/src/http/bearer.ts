import { type AccessTokenClaims, extractBearer } from "@sigil/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccessTokenCheck, CheckOptions } from "../auth/access-token.js";
import { AuthError } from "../auth/auth-error.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified, unrevoked access token's claims, set by requireAccessToken. */
    accessToken: AccessTokenClaims | null;
  }
}

/**
 * The token of a request's Bearer credentials (RFC 6750 §2.1, @sigil/protocol's extractBearer):
 * the token; `null` when the request carries none; `"malformed"` when it tries and fails.
 */
export function bearerTokenOf(request: FastifyRequest): string | null | "malformed" {
  const found = extractBearer({ authorization: request.headers.authorization });
  if (found.kind === "token") return found.token;
  return found.kind === "missing" ? null : "malformed";
}

/**
 * A preHandler for resource endpoints: a missing token → 401 `missing_token` (challenge without
 * error code, RFC 6750 §3.1); any rejected token → 401 `invalid_token` (reason logged only).
 */
export function requireAccessToken(
  check: AccessTokenCheck,
  options: CheckOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async function authenticateBearer(request: FastifyRequest): Promise<void> {
    const token = bearerTokenOf(request);
    if (token === null) throw new AuthError("missing_token");
    if (token === "malformed") throw new AuthError("invalid_token", { internalReason: "MALFORMED_AUTHORIZATION" });
    request.accessToken = await check(token, options);
  };
}

/** The claims set by requireAccessToken (routes using it can rely on them). */
export function claimsOf(request: FastifyRequest): AccessTokenClaims {
  if (!request.accessToken) throw new AuthError("missing_token");
  return request.accessToken;
}
