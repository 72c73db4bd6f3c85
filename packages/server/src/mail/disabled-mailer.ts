import { MailError } from "./mail-error.js";
import type { Mailer, MailMessage } from "./mailer.js";
import { checkRecipient } from "./recipient.js";

/**
 * The mailer of a production server started without SIGIL_SMTP_URL, which it allows only with
 * SIGIL_ACCOUNT_RECOVERY=false: a send reaching it is a flow that should not have run, and is
 * refused with MAIL_NOT_CONFIGURED rather than dropped, so that it shows.
 */
export function createDisabledMailer(): Mailer {
  return {
    description: "off",
    async send(message: MailMessage): Promise<void> {
      checkRecipient(message.to);
      throw new MailError(
        "MAIL_NOT_CONFIGURED",
        "mail not sent: no mail server is configured (SIGIL_ACCOUNT_RECOVERY=false and no SIGIL_SMTP_URL)",
      );
    },
    async close(): Promise<void> {},
  };
}
