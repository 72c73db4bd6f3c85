import type { FastifyReply } from "fastify";

/**
 * The HTTP layer's own refusals: requests that never reach an auth operation — a body the parsers
 * or schemas refuse, an unknown path, the operational endpoints (/readyz, /metrics), a request
 * during shutdown, and the last-resort 500. Same shape as AUTH_ERRORS (src/auth/auth-error.ts):
 * the code on the left is what the log and docs/errors.md name, `error` what the client sees.
 */
export const HTTP_ERRORS = {
  // A schema violation; error_description names the field (never its value): error-handler.ts.
  invalid_body: {
    status: 400,
    error: "invalid_request",
    description: "The request does not match the endpoint's schema.",
    fix: "Fix the field error_description names: a missing one, one the endpoint does not take (unknown fields are refused, not ignored), or one of the wrong type. The value sent is never echoed.",
  },
  // Never JSON.parse's own message: it quotes the body, which may hold a password.
  invalid_json: {
    status: 400,
    error: "invalid_request",
    description: "The body is not valid JSON.",
    fix: "Send one JSON object (application/json), or a form body to the OAuth endpoints.",
  },
  empty_json_body: {
    status: 400,
    error: "invalid_request",
    description: "The JSON body is empty.",
    fix: "Send the JSON object the endpoint takes, or no Content-Type header when there is no body.",
  },
  // Any other 4xx Fastify raises before a route runs (a malformed Content-Length, say); the
  // answer keeps Fastify's own 4xx status, 400 being the usual one.
  bad_request: {
    status: 400,
    error: "invalid_request",
    description: "The request is not acceptable.",
    fix: 'Check the request line and headers; the server log names Fastify\'s error code and status ("request refused").',
  },
  request_too_large: {
    status: 413,
    error: "request_too_large",
    description: "The request body is larger than the server accepts.",
    fix: "Send a smaller body; the limit is SIGIL_BODY_LIMIT (no endpoint needs more than a few KiB).",
  },
  unsupported_media_type: {
    status: 415,
    error: "unsupported_media_type",
    description: "Send the body as application/json.",
    fix: "Set `Content-Type: application/json` (the OAuth endpoints also take application/x-www-form-urlencoded).",
  },
  not_found: {
    status: 404,
    error: "not_found",
    description: "No such endpoint.",
    fix: "Check the path and method; the discovery document (/.well-known/openid-configuration) lists the endpoints.",
  },
  // Only with SIGIL_METRICS_TOKEN set; the log says whether a token was presented at all.
  metrics_token_required: {
    status: 401,
    error: "unauthorized",
    description: "GET /metrics needs a Bearer token.",
    fix: "Give the scraper `Authorization: Bearer <SIGIL_METRICS_TOKEN>` (Prometheus: `authorization: { credentials_file: … }`).",
  },
  // GET /revocations/feed beyond SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT (routes/revocation-feed.ts).
  feed_client_connection_limit: {
    status: 429,
    error: "too_many_connections",
    description: "This client holds as many revocation-feed connections as it may; close one or retry later.",
    fix: "A verifier needs one connection per process: look for processes that reconnect without closing (the log names the client). Raise SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT for a client with many processes.",
  },
  // GET /revocations/feed beyond SIGIL_FEED_MAX_CONNECTIONS across every client.
  feed_connection_limit: {
    status: 503,
    error: "temporarily_unavailable",
    description: "The revocation feed has as many subscribers as it may; retry later.",
    fix: "Raise SIGIL_FEED_MAX_CONNECTIONS if the verifiers are genuine (each idle subscriber costs about 25 kB), or add instances; the metric sigil_feed_refusals_total{reason} counts refusals.",
  },
  not_ready: {
    status: 503,
    error: "not_ready",
    description: "The database is not reachable.",
    fix: "Check the database (DATABASE_URL, or the PGlite data directory); the server log has the driver's error. Liveness (/healthz) stays 200 meanwhile.",
  },
  // Answered with Retry-After and Connection: close while a SIGTERM drain runs (refuse-during-shutdown.ts).
  shutting_down: {
    status: 503,
    error: "temporarily_unavailable",
    description: "The server is shutting down; retry the request.",
    fix: "Retry, on another instance behind a load balancer; fail readiness before SIGTERM so no new traffic is sent during the drain.",
  },
  server_error: {
    status: 500,
    error: "server_error",
    description: "The server could not complete the request.",
    fix: 'A bug or an outage: the server log has the error ("unhandled error") with its stack.',
  },
} as const satisfies Record<string, { status: number; error: string; description: string; fix: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** The body of every error response: a stable code and a human description (RFC 6749 §5.2 shape). */
export interface ErrorBody {
  error: string;
  error_description: string;
}

/**
 * Answers `code` with its status and `{error, error_description}` body. `description` replaces the
 * catalogue's text where the answer can be more precise (the schema error naming the field);
 * `status` replaces the catalogue's for `bad_request`, which keeps the 4xx Fastify chose.
 */
export function sendHttpError(
  reply: FastifyReply,
  code: HttpErrorCode,
  override: { description?: string; status?: number } = {},
): FastifyReply {
  const entry = HTTP_ERRORS[code];
  const body: ErrorBody = { error: entry.error, error_description: override.description ?? entry.description };
  return reply.code(override.status ?? entry.status).send(body);
}
