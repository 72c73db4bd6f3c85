import type { FastifyBaseLogger } from "fastify";
import { createTransport } from "nodemailer";
import type { MailAddress, SmtpServer } from "../config/config.js";
import { describeSmtpServer } from "../config/smtp-url.js";
import { MailError, type MailFailureReason } from "./mail-error.js";
import { MAIL_KIND_NAMES, type Mailer, type MailMessage } from "./mailer.js";
import { nodemailerMessage } from "./nodemailer-message.js";

export interface SmtpMailerOptions {
  readonly server: SmtpServer;
  readonly from: MailAddress;
  readonly logger: Pick<FastifyBaseLogger, "info">;
}

/**
 * Timeouts in ms, shorter than nodemailer's (2 min to connect, 10 min idle in a command): a flow
 * awaiting a send should learn of a dead mail server in seconds, not keep its request open.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 } as const;

/**
 * A mailer that sends through the SMTP server of SIGIL_SMTP_URL with nodemailer: a pool of at
 * most two connections (mail is a few messages a minute at most; a pool saves the TLS handshake
 * and login of each), STARTTLS whenever the server offers it and required when
 * `server.requireTLS`, certificates checked against the host name. The envelope is set from the
 * checked addresses, never from parsed headers.
 *
 * @example
 * const mailer = createSmtpMailer({ server: config.mail.smtp, from: config.mail.from, logger });
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const { server, from, logger } = options;
  const description = describeSmtpServer(server);
  const transport = createTransport({
    pool: true,
    maxConnections: 2,
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: server.requireTLS,
    ...(server.auth === undefined ? {} : { auth: { user: server.auth.user, pass: server.auth.pass } }),
    ...TIMEOUTS,
    logger: false,
    debug: false,
  });
  let closed = false;
  return {
    description,
    async send(message: MailMessage): Promise<void> {
      const mail = nodemailerMessage(message, from);
      if (closed)
        throw new MailError("MAIL_SEND_FAILED", `mail to ${description} not sent: the mailer is closed`, {
          reason: "closed",
        });
      let response: string;
      try {
        const info = await transport.sendMail(mail);
        response = String(info.response ?? "");
      } catch (error) {
        throw toMailError(error, description);
      }
      // The server's answer names its queue id, which finds the message in the relay's logs.
      logger.info({ mailKind: message.kind, smtpResponse: response }, `${MAIL_KIND_NAMES[message.kind]} sent`);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      transport.close();
    },
  };
}

/** nodemailer's error codes, by what the operator should look at. */
const REASONS: Readonly<Record<string, MailFailureReason>> = {
  EAUTH: "authentication",
  ENOAUTH: "authentication",
  ETLS: "tls",
  EREQUIRETLS: "tls",
  ECONNECTION: "connection",
  ETIMEDOUT: "connection",
  ESOCKET: "connection",
  EDNS: "connection",
  EENVELOPE: "rejected",
  EMESSAGE: "rejected",
};

const EXPLANATIONS: Readonly<Record<MailFailureReason, string>> = {
  authentication: "the server refused the user and password of SIGIL_SMTP_URL, or asked for some",
  tls: "TLS failed, or STARTTLS was required and the server does not offer it",
  connection: "the server could not be reached or dropped the connection",
  rejected: "the server refused the sender, the recipient or the message",
  outbox: "the outbox could not be written",
  closed: "the mailer is closed",
  other: "the SMTP exchange failed",
};

/**
 * A nodemailer failure as a MailError. Only the code and the reply code are kept: nodemailer's
 * message and `response` quote the server, which may echo an address, and the error is not kept
 * as `cause` for the same reason.
 */
function toMailError(error: unknown, description: string): MailError {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const transportCode = typeof code === "string" ? code : undefined;
  const reply = typeof responseCode === "number" ? responseCode : undefined;
  // RFC 4954 §6: 530 authentication required, 535 credentials invalid — whatever command drew it.
  const reason =
    reply === 530 || reply === 535
      ? "authentication"
      : ((transportCode !== undefined ? REASONS[transportCode] : undefined) ??
        (reply !== undefined && reply >= 400 ? "rejected" : "other"));
  const detail = [transportCode, reply === undefined ? undefined : `SMTP ${reply}`].filter(Boolean).join(", ");
  return new MailError(
    "MAIL_SEND_FAILED",
    `mail to ${description} not sent: ${EXPLANATIONS[reason]}${detail === "" ? "" : ` (${detail})`}`,
    {
      reason,
      ...(transportCode === undefined ? {} : { transportCode }),
      ...(reply === undefined ? {} : { responseCode: reply }),
    },
  );
}
