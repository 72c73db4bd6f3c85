import type { FastifyBaseLogger } from "fastify";
import type { ServerConfig } from "../config/config.js";
import { createDisabledMailer } from "./disabled-mailer.js";
import type { Mailer } from "./mailer.js";
import { createOutboxMailer } from "./outbox-mailer.js";
import { createSmtpMailer } from "./smtp-mailer.js";

/**
 * The mailer the configuration asks for (loadConfig has already decided, config/mail-config.ts):
 * SMTP, the development outbox, or none. Opens no connection: the SMTP pool connects at the
 * first message, so a mail server that is down does not stop the auth server from starting.
 *
 * @example
 * const mailer = createMailer(config, { logger });
 */
export function createMailer(
  config: Pick<ServerConfig, "mail">,
  options: { logger: Pick<FastifyBaseLogger, "info">; now?: () => number },
): Mailer {
  const { mail } = config;
  switch (mail.transport) {
    case "smtp":
      return createSmtpMailer({ server: mail.smtp, from: mail.from, logger: options.logger });
    case "outbox":
      return createOutboxMailer({
        directory: mail.directory,
        from: mail.from,
        logger: options.logger,
        ...(options.now === undefined ? {} : { now: options.now }),
      });
    case "none":
      return createDisabledMailer();
  }
}
