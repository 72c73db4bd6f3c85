import type { AccessTokenPayload, TokenSubject } from "@sigil/protocol";
import type { Context, MiddlewareHandler } from "hono";
import type { AccessTokenVerifier } from "../verifier-types.js";
import { type AuthenticateOptions, createAuthCheck, createGuard, type GuardOptions, type Rejection } from "./core.js";
import type { AuthRequirement } from "./requirements.js";

/** The Hono variables set by {@link sigilHono}. */
export interface SigilHonoEnv {
  Variables: { auth: AccessTokenPayload; authSubject: TokenSubject };
}

/**
 * Hono middleware: `c.get("auth")` holds the verified claims and `c.get("authSubject")` whom they
 * speak for ("user" or "service"), or the request is answered
 * 401/400/403. Duplicated Authorization headers arrive joined with ", " in the Fetch Headers,
 * which is not a b64token, so they are refused too.
 *
 * @example
 * app.use("/api/*", sigilHono(verifier));
 * app.get("/api/me", (c) => c.json(c.get("auth")));
 */
export function sigilHono(
  verifier: AccessTokenVerifier,
  options: AuthenticateOptions = {},
): MiddlewareHandler<SigilHonoEnv> {
  const check = createAuthCheck(verifier, options);
  return async function sigilAuth(c, next) {
    const authorization = c.req.header("authorization");
    const outcome = await check({
      authorization,
      cookie: c.req.header("cookie"),
      method: c.req.method,
      url: c.req.path,
    });
    if (outcome.ok) {
      c.set("auth", outcome.claims);
      c.set("authSubject", outcome.subject);
      await next();
      return;
    }
    return sendRejection(c, outcome.rejection);
  };
}

/**
 * A per-route guard after {@link sigilHono}: checks `c.get("auth")` against scopes or roles,
 * 403 insufficient_scope otherwise.
 *
 * @example
 * app.use("/api/*", sigilHono(verifier));
 * app.delete("/api/accounts/:id", sigilHonoGuard(requireScope("accounts:write")), handler);
 */
export function sigilHonoGuard(
  require: AuthRequirement | readonly AuthRequirement[],
  options: GuardOptions = {},
): MiddlewareHandler<SigilHonoEnv> {
  const guard = createGuard(require, options);
  return async function sigilGuard(c, next) {
    const outcome = guard(c.get("auth") as AccessTokenPayload | undefined, {
      method: c.req.method,
      url: c.req.path,
      authorization: undefined,
    });
    if (!outcome.ok) return sendRejection(c, outcome.rejection);
    await next();
  };
}

function sendRejection(c: Context, rejection: Rejection): Response {
  return c.body(rejection.body, rejection.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "www-authenticate": rejection.wwwAuthenticate,
  });
}
