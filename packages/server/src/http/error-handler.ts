import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAuthError } from "../auth/auth-error.js";
import { type ErrorBody, sendHttpError } from "./http-errors.js";

/**
 * The one place errors become responses. AuthErrors carry their status and public code; Fastify's
 * own errors (validation, body too large, bad JSON, wrong media type) become the HTTP_ERRORS 4xx
 * (http-errors.ts); anything else is a 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(function handleNotFound(_request, reply) {
    return sendHttpError(reply, "not_found");
  });
}

/**
 * Also Fastify's `frameworkErrors` option: a malformed URL (FST_ERR_BAD_URL) or a failed async
 * route constraint is answered by Fastify itself, before routing and outside the error handler,
 * in a body of its own unless this is passed there too.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAuthError(error)) {
    if (error.retryAfterSeconds !== undefined) {
      reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    }
    // RFC 6750 §3: a challenge on every 401 of a Bearer-protected resource; the error code only
    // when a token was presented and refused.
    if (error.error === "invalid_token") reply.header("www-authenticate", 'Bearer error="invalid_token"');
    if (error.code === "missing_token") reply.header("www-authenticate", "Bearer");
    if (error.internalReason !== undefined || error.status >= 500) {
      request.log.info({ code: error.code, reason: error.internalReason }, "request refused");
    }
    const answer: ErrorBody = { error: error.error, error_description: error.description };
    return reply.code(error.status).send(answer);
  }
  if (error.validation) {
    const description = describeInvalid(error.validationContext, error.validation);
    return sendHttpError(reply, "invalid_body", { description });
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sendHttpError(reply, "request_too_large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sendHttpError(reply, "unsupported_media_type");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return sendHttpError(reply, "invalid_json");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return sendHttpError(reply, "empty_json_body");
  }
  if (error instanceof SyntaxError) return sendHttpError(reply, "invalid_json");
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // The code only (FST_ERR_…): a parser's message may quote the body.
    request.log.info({ code: error.code, status: error.statusCode }, "request refused");
    return sendHttpError(reply, "bad_request", { status: error.statusCode });
  }
  request.log.error({ err: error }, "unhandled error");
  return sendHttpError(reply, "server_error");
}

/** Field names echoed back are the client's own input: shown, but never at any length. */
const MAX_FIELD_NAME = 64;

/**
 * The first schema violation in words a client developer can act on: where (`body`,
 * `body/password`) and what — the missing or unexpected field by name, else ajv's own phrase
 * ("must be string"). Values are never echoed: a wrong-typed field may hold a password.
 */
function describeInvalid(context: string | undefined, issues: NonNullable<FastifyError["validation"]>): string {
  const issue = issues[0];
  const where = `${context ?? "request"}${issue?.instancePath ?? ""}`;
  if (issue === undefined) return `${where} is not valid`;
  const field = (name: unknown): string => JSON.stringify(String(name).slice(0, MAX_FIELD_NAME));
  switch (issue.keyword) {
    case "required":
      return `${where} is missing the field ${field(issue.params.missingProperty)}`;
    case "additionalProperties":
      return `${where} has a field this endpoint does not take: ${field(issue.params.additionalProperty)}`;
    default:
      return `${where} ${issue.message ?? "is not valid"}`;
  }
}
