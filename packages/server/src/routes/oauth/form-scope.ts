import formbody from "@fastify/formbody";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAuthError } from "../../auth/auth-error.js";
import { isOAuthError, OAuthError } from "../../clients/oauth-error.js";

const FORM = "application/x-www-form-urlencoded";

/**
 * Prepares an encapsulated scope for the form-encoded OAuth endpoints (token, revocation,
 * introspection): the form parser, `Cache-Control: no-store` + `Pragma: no-cache` on every
 * answer (RFC 6749 §5.1 — tokens and token metadata must not be cached), and an error handler
 * that answers in RFC 6749 §5.2 form.
 */
export async function prepareFormScope(scope: FastifyInstance): Promise<void> {
  if (!scope.hasContentTypeParser(FORM)) await scope.register(formbody);
  scope.addHook("onSend", async (_request, reply, payload) => {
    reply.header("cache-control", "no-store");
    reply.header("pragma", "no-cache");
    return payload;
  });
  // RFC 6749 §3.2 / RFC 7009 §2.1 / RFC 7662 §2.1: requests are form-encoded. A JSON body would
  // parse, so it is refused here rather than half-understood.
  scope.addHook("preValidation", async (request) => {
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== FORM) {
      throw new OAuthError("invalid_request", `Send the parameters as ${FORM}.`);
    }
  });
  scope.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const answer = toOAuthAnswer(error);
    if (answer === undefined) throw error; // not ours: the application's error handler decides
    if (answer.status >= 500 || answer.reason) {
      request.log.info({ code: answer.body.error, reason: answer.reason }, "oauth request refused");
    }
    if (answer.status === 401) {
      // RFC 6749 §5.2 / RFC 9110 §11.6.1: a 401 names the scheme the client should use.
      reply.header("www-authenticate", 'Basic realm="sigil", charset="UTF-8"');
    }
    if (answer.retryAfter !== undefined) reply.header("retry-after", String(answer.retryAfter));
    return reply.code(answer.status).send(answer.body);
  });
}

interface OAuthAnswer {
  status: number;
  body: { error: string; error_description: string };
  reason?: string | undefined;
  retryAfter?: number | undefined;
}

function toOAuthAnswer(error: FastifyError): OAuthAnswer | undefined {
  if (isOAuthError(error)) {
    return {
      status: error.status,
      body: { error: error.code, error_description: error.message },
      reason: error.reason,
    };
  }
  if (isAuthError(error)) {
    // RFC 6749 §5.2 answers invalid_grant with 400 (the /auth JSON routes use 401 for it).
    const status = error.error === "invalid_grant" ? 400 : error.status;
    return {
      status,
      body: { error: error.error, error_description: error.description },
      reason: error.internalReason ?? error.code,
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return { status: 413, body: { error: "invalid_request", error_description: "The request body is too large." } };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Unparsable bodies, unsupported media types: malformed requests in OAuth's terms.
    return {
      status: 400,
      body: { error: "invalid_request", error_description: "The request could not be read." },
      reason: error.code,
    };
  }
  return undefined;
}

/**
 * One form parameter. RFC 6749 §3.2: an empty value counts as absent, and a parameter sent more
 * than once (which the form parser turns into an array) is invalid_request.
 */
export function formParam(body: unknown, name: string): string | undefined {
  const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new OAuthError("invalid_request", `The parameter ${name} must be sent once.`);
  if (value.length > 4096) throw new OAuthError("invalid_request", `The parameter ${name} is too long.`);
  return value;
}

export function requiredFormParam(body: unknown, name: string): string {
  const value = formParam(body, name);
  if (value === undefined) throw new OAuthError("invalid_request", `The parameter ${name} is required.`);
  return value;
}

/** The body fields client authentication reads. */
export function clientFields(body: unknown): { client_id?: unknown; client_secret?: unknown } {
  if (typeof body !== "object" || body === null) return {};
  const fields = body as Record<string, unknown>;
  const out: { client_id?: unknown; client_secret?: unknown } = {};
  if (fields.client_id !== undefined && fields.client_id !== "") out.client_id = fields.client_id;
  if (fields.client_secret !== undefined && fields.client_secret !== "") out.client_secret = fields.client_secret;
  return out;
}
