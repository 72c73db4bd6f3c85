export type MailErrorCode = "MAIL_SEND_FAILED" | "MAIL_RECIPIENT_INVALID" | "MAIL_NOT_CONFIGURED";

/** Why a send failed, for the log and for a caller that retries only what may pass next time. */
export type MailFailureReason =
  /** The server could not be reached, or the connection broke (refused, DNS, reset, timeout). */
  | "connection"
  /** TLS failed, or STARTTLS was required and the server did not offer it. */
  | "tls"
  /** The server refused the user and password of SIGIL_SMTP_URL, or wants some and has none. */
  | "authentication"
  /** The server answered the sender, a recipient or the message with a refusal. */
  | "rejected"
  /** The outbox file could not be written. */
  | "outbox"
  /** The mailer was closed. */
  | "closed"
  | "other";

/**
 * A message could not be handed over. `message` says why in one line and `reason` classifies it;
 * neither carries the message's body, its recipient or a credential — a send fails in the middle
 * of a flow whose log lines are shipped elsewhere, and the body holds a one-time code.
 */
export class MailError extends Error {
  override readonly name = "MailError";
  readonly code: MailErrorCode;
  readonly reason: MailFailureReason | undefined;
  /** nodemailer's code for an SMTP failure (EAUTH, ECONNECTION, ETLS, …). */
  readonly transportCode: string | undefined;
  /** The SMTP reply code of a refusal (RFC 5321 §4.2), e.g. 535 or 550. */
  readonly responseCode: number | undefined;

  constructor(
    code: MailErrorCode,
    message: string,
    details: { reason?: MailFailureReason; transportCode?: string; responseCode?: number } = {},
  ) {
    super(message);
    this.code = code;
    this.reason = details.reason;
    this.transportCode = details.transportCode;
    this.responseCode = details.responseCode;
  }
}

/** Type guard for {@link MailError}. */
export function isMailError(value: unknown): value is MailError {
  return value instanceof MailError;
}

/** What each MailError code means and how to solve it, for docs/errors.md. */
export const MAIL_ERRORS = {
  MAIL_SEND_FAILED: {
    summary:
      "A message (a code or a notice) could not be handed to the SMTP server of SIGIL_SMTP_URL, or written to the development outbox. `err.reason` says which step failed — `connection`, `tls`, `authentication`, `rejected`, `outbox`, `closed` — with nodemailer's code in `err.transportCode` and the SMTP reply code in `err.responseCode`; the message names neither the recipient nor anything of the body.",
    fix: "By reason: `connection` — check the host and port of SIGIL_SMTP_URL and that the server accepts connections from this host (smtps:// is usually port 465, smtp:// 587). `tls` — the server's certificate must be valid for its host name; in production a non-loopback smtp:// server must offer STARTTLS (or use smtps://). `authentication` — correct the user and password in SIGIL_SMTP_URL (percent-encode @ : / % in them). `rejected` — read the reply code: 550/553 usually means SIGIL_MAIL_FROM is not an address this server may send as. `outbox` — make SIGIL_MAIL_OUTBOX a writable directory.",
  },
  MAIL_RECIPIENT_INVALID: {
    summary:
      "A message was addressed to something that is not exactly one plain email address (a list, a display name, a line break). Nothing was sent: the check runs before any connection, so a crafted address cannot add recipients or headers.",
    fix: "A defect of the flow that built the message, or a stored address that bypassed normalisation: send to the account's stored address only. Find the address in the flow's log line, not in the error, which never holds it.",
  },
  MAIL_NOT_CONFIGURED: {
    summary:
      "A message was to be sent by a production server that has no mail server: SIGIL_ACCOUNT_RECOVERY=false allowed it to start without SIGIL_SMTP_URL.",
    fix: "Set SIGIL_SMTP_URL and SIGIL_MAIL_FROM to send mail; a flow that sends mail must not run while account recovery is off (check `config.accountRecovery`).",
  },
} as const satisfies Record<MailErrorCode, { summary: string; fix: string }>;
