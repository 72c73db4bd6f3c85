/** The messages the server sends; each has a builder in messages/. */
export type MailKind =
  | "verification-code"
  | "password-reset"
  | "password-changed"
  | "registration-attempt"
  | "email-change-code"
  | "email-change-notice";

/**
 * One message to one recipient, composed by a builder (messages/): both bodies are complete
 * (the HTML one already escaped). The sender is the mailer's, from SIGIL_MAIL_FROM.
 */
export interface MailMessage {
  readonly kind: MailKind;
  /** One address; refused with MAIL_RECIPIENT_INVALID if it is not exactly one. */
  readonly to: string;
  /** Never holds a code: subjects show in notifications, lock screens and logs. */
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Where the server's mail goes: an SMTP server (smtp-mailer.ts), the development outbox
 * (outbox-mailer.ts), or nowhere (disabled-mailer.ts). Built from the configuration by
 * createMailer and held by the server context.
 *
 * @example
 * await context.mailer.send(verificationCodeMessage({ to, code, expiresInMinutes: 15, product }));
 */
export interface Mailer {
  /** Where mail goes, for the start-up line: `smtp://host:port`, `outbox <dir>` or `off`; never a credential. */
  readonly description: string;
  /** Resolves once the message is handed over (accepted by the SMTP server, or written); rejects with MailError. */
  send(message: MailMessage): Promise<void>;
  /** Closes pooled connections. Idempotent; a send after it rejects. */
  close(): Promise<void>;
}

/** What the log says a message is: "verification code", "password-changed notice", … */
export const MAIL_KIND_NAMES: Readonly<Record<MailKind, string>> = {
  "verification-code": "verification code",
  "password-reset": "password-reset code",
  "password-changed": "password-changed notice",
  "registration-attempt": "registration-attempt notice",
  "email-change-code": "email-change code",
  "email-change-notice": "email-change notice",
};
