import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import type { AccessTokenClaims, Verifier } from "../verifier-types.js";
import {
  type AuthenticateOptions,
  createAuthenticator,
  createGuard,
  type GuardOptions,
  type Rejection,
} from "./core.js";
import type { AuthRequirement } from "./requirements.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Verified access-token claims, set by sigilFastify(). */
    auth?: AccessTokenClaims;
  }
}

/**
 * A Fastify hook (use as `onRequest` or `preHandler`, for the app or per route): sets
 * `request.auth`, or answers 401/400/403 itself. As onRequest it runs before the body is read.
 *
 * @example
 * app.get("/me", { onRequest: sigilFastify(verifier, { require: requireScope("profile") }) }, (req) => req.auth);
 */
export function sigilFastify(verifier: Verifier, options: AuthenticateOptions = {}): preHandlerAsyncHookHandler {
  const check = createAuthenticator(verifier, options);
  return async function sigilAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = await check({
      authorization: request.raw.headersDistinct["authorization"],
      cookie: request.headers.cookie,
      method: request.method,
      url: request.url,
    });
    if (outcome.ok) request.auth = outcome.claims;
    else await sendRejection(reply, outcome.rejection);
  };
}

/**
 * A per-route guard after {@link sigilFastify} or {@link sigilFastifyPlugin}: checks
 * `request.auth` against scopes or roles, 403 insufficient_scope otherwise (401 if unset).
 *
 * @example
 * app.delete("/accounts/:id", { preHandler: sigilFastifyGuard(requireScope("accounts:write")) }, handler);
 */
export function sigilFastifyGuard(
  require: AuthRequirement | readonly AuthRequirement[],
  options: GuardOptions = {},
): preHandlerAsyncHookHandler {
  const guard = createGuard(require, options);
  return async function sigilGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = guard(request.auth, { method: request.method, url: request.url, authorization: undefined });
    if (!outcome.ok) await sendRejection(reply, outcome.rejection);
  };
}

/**
 * A Fastify plugin that protects every route registered in its scope (and, because it is not
 * encapsulated, the parent's): decorates `request.auth` and adds the hook on `onRequest`.
 *
 * @example
 * await app.register(sigilFastifyPlugin, { verifier });
 */
export async function sigilFastifyPlugin(
  app: FastifyInstance,
  options: AuthenticateOptions & { verifier: Verifier },
): Promise<void> {
  const { verifier, ...rest } = options;
  app.decorateRequest("auth", undefined);
  app.addHook("onRequest", sigilFastify(verifier, rest));
}
// Fastify's documented opt-out of encapsulation (what the fastify-plugin package sets).
Object.assign(sigilFastifyPlugin, { [Symbol.for("skip-override")]: true });

async function sendRejection(reply: FastifyReply, rejection: Rejection): Promise<void> {
  await reply
    .code(rejection.status)
    .headers({
      "content-type": "application/json",
      "cache-control": "no-store",
      "www-authenticate": rejection.wwwAuthenticate,
    })
    .send(rejection.body);
}
