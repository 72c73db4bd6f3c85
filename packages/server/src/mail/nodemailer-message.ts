import type { SendMailOptions } from "nodemailer";
import type { MailAddress } from "../config/config.js";
import type { MailMessage } from "./mailer.js";
import { checkRecipient } from "./recipient.js";

/**
 * A message as nodemailer takes it, the same for sending and for the outbox: the recipient
 * checked (MAIL_RECIPIENT_INVALID before anything happens), the SMTP envelope set from the checked
 * addresses rather than parsed back out of the headers, and RFC 3834 §5
 * `Auto-Submitted: auto-generated`, which tells vacation responders and mailing lists not to
 * answer a machine (a reply to a no-reply sender only bounces).
 */
export function nodemailerMessage(message: MailMessage, from: MailAddress): SendMailOptions {
  const to = checkRecipient(message.to);
  return {
    from: from.name === undefined ? from.address : { name: from.name, address: from.address },
    to,
    envelope: { from: from.address, to: [to] },
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { "Auto-Submitted": "auto-generated" },
    // Messages are text the builders made; nothing in them may make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
