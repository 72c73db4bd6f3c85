import type { AccessTokenPayload, TokenSubject } from "@sigil/protocol";
import type { RequestHandler, Response } from "express";
import type { AccessTokenVerifier } from "../verifier-types.js";
import { authorizationOf } from "./authorization-header.js";
import { type AuthenticateOptions, createAuthCheck, createGuard, type GuardOptions, type Rejection } from "./core.js";
import type { AuthRequirement } from "./requirements.js";

declare global {
  namespace Express {
    interface Request {
      /** Verified access-token claims, set by sigilExpress(). */
      auth?: AccessTokenPayload;
      /** Whom `auth` speaks for: "user" or "service" (client_credentials), set by sigilExpress(). */
      authSubject?: TokenSubject;
    }
  }
}

/**
 * Express middleware: sets `req.auth` to the verified claims and `req.authSubject` to whom they
 * speak for ("user" or "service"), or answers 401/400/403 itself.
 *
 * @example
 * app.use("/api", sigilExpress(verifier));
 * app.get("/api/admin", sigilExpress(verifier, { require: requireRole("admin") }), (req, res) => res.json(req.auth));
 */
export function sigilExpress(verifier: AccessTokenVerifier, options: AuthenticateOptions = {}): RequestHandler {
  const check = createAuthCheck(verifier, options);
  return function sigilAuth(req, res, next) {
    const outcome = check({
      authorization: authorizationOf(req),
      cookie: req.headers.cookie,
      method: req.method,
      url: req.originalUrl,
    });
    // Synchronous unless the introspection fallback runs.
    if (!(outcome instanceof Promise)) {
      if (!outcome.ok) return sendRejection(res, outcome.rejection);
      req.auth = outcome.claims;
      req.authSubject = outcome.subject;
      return next();
    }
    outcome.then((settled) => {
      if (!settled.ok) return sendRejection(res, settled.rejection);
      req.auth = settled.claims;
      req.authSubject = settled.subject;
      next();
    }, next);
  };
}

/**
 * A per-route guard after an app-wide {@link sigilExpress}: checks `req.auth` against scopes or
 * roles, 403 insufficient_scope otherwise (401 if no middleware set `req.auth`).
 *
 * @example
 * app.use(sigilExpress(verifier));
 * app.delete("/accounts/:id", sigilExpressGuard(requireScope("accounts:write")), handler);
 */
export function sigilExpressGuard(
  require: AuthRequirement | readonly AuthRequirement[],
  options: GuardOptions = {},
): RequestHandler {
  const guard = createGuard(require, options);
  return function sigilGuard(req, res, next) {
    const outcome = guard(req.auth, { method: req.method, url: req.originalUrl, authorization: undefined });
    if (outcome.ok) next();
    else sendRejection(res, outcome.rejection);
  };
}

function sendRejection(res: Response, rejection: Rejection): void {
  res
    .status(rejection.status)
    .set({
      "content-type": "application/json",
      "cache-control": "no-store",
      "www-authenticate": rejection.wwwAuthenticate,
    })
    .send(rejection.body);
}
