import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAuthError } from "../auth/auth-error.js";

/** The body of every error response: a stable code and a human description (RFC 6749 §5.2 shape). */
export interface ErrorBody {
  error: string;
  error_description: string;
}

/**
 * The one place errors become responses. AuthErrors carry their status and public code; Fastify's
 * own errors (validation, body too large, bad JSON, wrong media type) become `invalid_request`-style
 * 4xx; anything else is a 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    if (isAuthError(error)) {
      if (error.retryAfterSeconds !== undefined) {
        reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
      }
      // RFC 6750 §3: a challenge on every 401 of a Bearer-protected resource; the error code only
      // when a token was presented and refused.
      if (error.code === "invalid_token") reply.header("www-authenticate", 'Bearer error="invalid_token"');
      if (error.code === "missing_token") reply.header("www-authenticate", "Bearer");
      if (error.internalReason !== undefined || error.status >= 500) {
        request.log.info({ code: error.code, reason: error.internalReason }, "request refused");
      }
      return reply.code(error.status).send(body(error.error, error.description));
    }
    if (error.validation) {
      return reply.code(400).send(body("invalid_request", describeInvalid(error.validationContext, error.validation)));
    }
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.code(413).send(body("request_too_large", "The request body is larger than the server accepts."));
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply.code(415).send(body("unsupported_media_type", "Send the body as application/json."));
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        // Never echo JSON.parse's message: it quotes the body (which may hold a password).
        return reply.code(400).send(body("invalid_request", "The body is not valid JSON."));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return reply.code(400).send(body("invalid_request", "The JSON body is empty."));
    }
    if (error instanceof SyntaxError) {
      return reply.code(400).send(body("invalid_request", "The body is not valid JSON."));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(body("invalid_request", "The request is not acceptable."));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.code(500).send(body("server_error", "The server could not complete the request."));
  });
  app.setNotFoundHandler(function handleNotFound(_request, reply) {
    return reply.code(404).send(body("not_found", "No such endpoint."));
  });
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

function body(error: string, description: string): ErrorBody {
  return { error, error_description: description };
}
