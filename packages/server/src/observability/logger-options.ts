import type { DestinationStream, LoggerOptions } from "pino";
import type { ServerConfig } from "../config/config.js";
import { REDACT_PATHS, redactUrl } from "./redaction.js";

/** The parts of a Fastify request the request serializer reads. */
interface LoggableRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  id?: string;
  socket?: { remotePort?: number } | null;
}

/**
 * pino options for Fastify's `logger` (Fastify 5 builds the pino instance from them): the level
 * from the configuration, redaction of every credential-bearing header and body field, and a
 * request serializer that logs no credential from the query string and no header at all. Pass
 * `stream` to send lines elsewhere (tests).
 *
 * @example
 * const app = Fastify({ logger: createLoggerOptions(config) });
 */
export function createLoggerOptions(
  config: Pick<ServerConfig, "logLevel">,
  options: { stream?: DestinationStream } = {},
): LoggerOptions & { stream?: DestinationStream } {
  return {
    level: config.logLevel,
    redact: { paths: [...REDACT_PATHS], censor: "[Redacted]" },
    serializers: {
      req: serializeRequest,
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    ...(options.stream ? { stream: options.stream } : {}),
  };
}

/** Like Fastify's default, minus credentials in the query string. Headers are never logged. */
export function serializeRequest(request: LoggableRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === "string" ? redactUrl(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
