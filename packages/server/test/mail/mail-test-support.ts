import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import pino from "pino";
import type { MailMessage } from "../../src/mail/index.js";

/** A logger whose lines (parsed JSON) a test can read. */
export function captureLogger(): { logger: FastifyBaseLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: "info" }, stream);
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

/** A message as a builder would make it, holding a code that must stay out of logs and errors. */
export function sampleMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    kind: "verification-code",
    to: "alice@example.com",
    subject: "Verify your email address",
    text: "Your code is 493-817.",
    html: "<p>Your code is <strong>493-817</strong>.</p>",
    ...overrides,
  };
}

export const SAMPLE_CODE = "493-817";
