import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccessTokenPayload } from "@sigil/protocol";
import type { AccessTokenVerifier } from "../verifier-types.js";
import { authorizationOf } from "./authorization-header.js";
import { type AuthenticateOptions, createAuthCheck, type Rejection } from "./core.js";

/** Writes an RFC 6750 error answer. */
export function writeRejection(res: ServerResponse, rejection: Rejection): void {
  res.writeHead(rejection.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "www-authenticate": rejection.wwwAuthenticate,
  });
  res.end(rejection.body);
}

/**
 * For plain `node:http`: resolves to the verified claims, or answers the request itself
 * (401/400/403 with WWW-Authenticate) and resolves to undefined.
 *
 * @example
 * const auth = authenticate(verifier, { require: requireScope("read") });
 * http.createServer(async (req, res) => {
 *   const claims = await auth(req, res);
 *   if (!claims) return;
 *   res.end(`hello ${claims.sub}`);
 * });
 */
export function authenticate(
  verifier: AccessTokenVerifier,
  options: AuthenticateOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<AccessTokenPayload | undefined> {
  const check = createAuthCheck(verifier, options);
  return async function authenticateRequest(req, res) {
    const outcome = await check({
      // Duplicates, which req.headers silently drops for Authorization, are still found.
      authorization: authorizationOf(req),
      cookie: req.headers.cookie,
      method: req.method,
      url: req.url,
    });
    if (outcome.ok) return outcome.claims;
    writeRejection(res, outcome.rejection);
    return undefined;
  };
}
