import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { createTransport } from "nodemailer";
import type { MailAddress } from "../config/config.js";
import { MailError } from "./mail-error.js";
import { MAIL_KIND_NAMES, type Mailer, type MailMessage } from "./mailer.js";
import { nodemailerMessage } from "./nodemailer-message.js";
import { outboxFileName } from "./outbox-file-name.js";

export interface OutboxMailerOptions {
  /** Created (mode 0700) at the first message, so a server that sends nothing leaves no directory. */
  readonly directory: string;
  readonly from: MailAddress;
  readonly logger: Pick<FastifyBaseLogger, "info">;
  /** The clock in ms since 1970, for file names (tests freeze it). */
  readonly now?: () => number;
}

/**
 * The development mailer: each message becomes one `.eml` file in the outbox — the very
 * RFC 5322 message SMTP would carry (nodemailer composes both, CRLF line ends), which any mail
 * client opens — written with mode 0600 since it holds a live code, and one info line that says
 * what it is, for whom and where, so the developer knows which file to open. The line never
 * holds the code or the link: it is the same logger production ships elsewhere, and the file is
 * where a code belongs.
 *
 * @example
 * const mailer = createOutboxMailer({ directory: "./.sigil-data/outbox", from, logger });
 */
export function createOutboxMailer(options: OutboxMailerOptions): Mailer {
  const { directory, from, logger } = options;
  const now = options.now ?? Date.now;
  // The same composer as SMTP sending, writing into a buffer instead of a connection.
  const composer = createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const description = `outbox ${directory}`;
  let closed = false;
  return {
    description,
    async send(message: MailMessage): Promise<void> {
      const mail = nodemailerMessage(message, from);
      if (closed)
        throw new MailError("MAIL_SEND_FAILED", "mail not written: the mailer is closed", { reason: "closed" });
      const file = join(directory, outboxFileName(now(), message.kind));
      try {
        const { message: eml } = await composer.sendMail(mail);
        await mkdir(directory, { recursive: true, mode: 0o700 });
        // wx: a name taken already is a collision to report, never a file to overwrite.
        await writeFile(file, eml as Buffer, { mode: 0o600, flag: "wx" });
      } catch (error) {
        const errno = (error as NodeJS.ErrnoException | undefined)?.code;
        throw new MailError(
          "MAIL_SEND_FAILED",
          `mail not written to the outbox ${directory}${errno === undefined ? "" : ` (${errno})`}; make SIGIL_MAIL_OUTBOX a writable directory`,
          { reason: "outbox", ...(errno === undefined ? {} : { transportCode: errno }) },
        );
      }
      logger.info(
        { mailKind: message.kind, subject: message.subject, file },
        `${MAIL_KIND_NAMES[message.kind]} for ${message.to} written to the outbox`,
      );
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
