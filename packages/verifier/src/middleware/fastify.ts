import type { AccessTokenPayload, TokenSubject } from "@sigil/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import type { AccessTokenVerifier } from "../verifier-types.js";
import { authorizationOf } from "./authorization-header.js";
import {
  type AuthenticateOptions,
  type AuthOutcome,
  createAuthCheck,
  createGuard,
  type GuardOptions,
  type Rejection,
} from "./core.js";
import type { AuthRequirement } from "./requirements.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Verified access-token claims, set by sigilFastify(). */
    auth?: AccessTokenPayload;
    /** Whom `auth` speaks for: "user" or "service" (client_credentials), set by sigilFastify(). */
    authSubject?: TokenSubject;
  }
}

/** A callback-style hook, usable as `onRequest` or `preHandler`. */
export type SigilFastifyHook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/**
 * A Fastify hook (use as `onRequest` or `preHandler`, for the app or per route): sets
 * `request.auth`, or answers 401/400/403 itself. As onRequest it runs before the body is read.
 * Callback style: on the usual path the request goes on in the same tick, with no promise for
 * Fastify to wait on (only the introspection fallback is asynchronous).
 *
 * @example
 * app.get("/me", { onRequest: sigilFastify(verifier, { require: requireScope("profile") }) }, (req) => req.auth);
 */
export function sigilFastify(verifier: AccessTokenVerifier, options: AuthenticateOptions = {}): SigilFastifyHook {
  const check = createAuthCheck(verifier, options);
  return function sigilAuth(request, reply, done): void {
    const outcome = check({
      authorization: authorizationOf(request.raw),
      cookie: request.headers.cookie,
      method: request.method,
      url: request.url,
    });
    if (!(outcome instanceof Promise)) {
      apply(outcome, request, reply, done);
      return;
    }
    outcome.then((settled) => apply(settled, request, reply, done), done);
  };
}

function apply(
  outcome: AuthOutcome,
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  if (outcome.ok) {
    request.auth = outcome.claims;
    request.authSubject = outcome.subject;
    done();
    return;
  }
  // Callback style: a hook that answers itself does not call done() (Fastify "Respond to a request from a hook").
  sendRejection(reply, outcome.rejection);
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
): SigilFastifyHook {
  const guard = createGuard(require, options);
  return function sigilGuard(request, reply, done): void {
    const outcome = guard(request.auth, { method: request.method, url: request.url, authorization: undefined });
    if (outcome.ok) done();
    else sendRejection(reply, outcome.rejection);
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
  options: AuthenticateOptions & { verifier: AccessTokenVerifier },
): Promise<void> {
  const { verifier, ...rest } = options;
  app.decorateRequest("auth", undefined);
  app.decorateRequest("authSubject", undefined);
  app.addHook("onRequest", sigilFastify(verifier, rest));
}
// Fastify's documented opt-out of encapsulation (what the fastify-plugin package sets).
Object.assign(sigilFastifyPlugin, { [Symbol.for("skip-override")]: true });

function sendRejection(reply: FastifyReply, rejection: Rejection): void {
  reply
    .code(rejection.status)
    .headers({
      "content-type": "application/json",
      "cache-control": "no-store",
      "www-authenticate": rejection.wwwAuthenticate,
    })
    .send(rejection.body);
}
