import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import pino, { type DestinationStream } from "pino";
import type { ServerConfig } from "../config/config.js";
import { createLoggerOptions } from "./logger-options.js";

/** Where log lines go: a stream (tests capture them), or nothing at all. */
export type LogDestination = DestinationStream | "silent";

/** The text Fastify logs on listening: the readable format leaves it out (the summary line says it). */
export const LISTENING_MESSAGE = "listening";

/**
 * The server's logger: pino with redaction (logger-options.ts), writing to `destination`
 * (default stdout) in the configured format — `json`, one object per line for log shippers, or
 * `pretty`, one readable line per event for a person at a terminal ({@link formatLogLine}).
 *
 * @example
 * const logger = createLogger(config);
 * logger.info({ userId }, "password changed");
 */
export function createLogger(
  config: Pick<ServerConfig, "logLevel" | "logFormat">,
  destination: LogDestination = process.stdout,
): FastifyBaseLogger {
  if (destination === "silent") return pino({ level: "silent" });
  const options = createLoggerOptions(config);
  const stream = config.logFormat === "pretty" ? prettyStream(destination) : destination;
  return pino(options, stream);
}

/** A stream that turns pino's JSON lines into readable ones before writing them on. */
function prettyStream(destination: DestinationStream): Writable {
  let pending = "";
  return new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        const line = formatLogLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        if (line !== undefined) destination.write(`${line}\n`);
        newline = pending.indexOf("\n");
      }
      done();
    },
  });
}

const LEVELS: Readonly<Record<number, string>> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Fields every line has, or that the readable form shows in its own place. */
const SHOWN = new Set(["level", "time", "pid", "hostname", "msg", "reqId", "req", "res", "responseTime"]);

/**
 * One pino JSON line in readable form: `12:00:01 INFO  POST /auth/login 200 12 ms` for a
 * request, `12:00:01 WARN  <message> key=value …` otherwise; undefined for a line it leaves out
 * (Fastify's own "listening" line). A line that is not JSON is passed through unchanged.
 */
export function formatLogLine(json: string): string | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  if (record.msg === LISTENING_MESSAGE) return undefined;
  const time = typeof record.time === "number" ? new Date(record.time).toISOString().slice(11, 19) : "--:--:--";
  const level = (LEVELS[record.level as number] ?? "LOG").padEnd(5);
  const req = record.req as { method?: string; url?: string } | undefined;
  const res = record.res as { statusCode?: number } | undefined;
  const parts = [time, level];
  if (req?.method !== undefined && res?.statusCode !== undefined) {
    const ms = typeof record.responseTime === "number" ? ` ${Math.round(record.responseTime)} ms` : "";
    parts.push(`${req.method} ${req.url ?? ""} ${res.statusCode}${ms}`);
  } else if (typeof record.msg === "string") {
    parts.push(record.msg);
  }
  for (const [key, value] of Object.entries(record)) {
    if (SHOWN.has(key) || value === undefined) continue;
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(" ");
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[\x21-\x7e]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  if (value instanceof Object && "message" in value && "type" in value) {
    const error = value as { type: unknown; message: unknown };
    return JSON.stringify(`${String(error.type)}: ${String(error.message)}`);
  }
  return JSON.stringify(value);
}
