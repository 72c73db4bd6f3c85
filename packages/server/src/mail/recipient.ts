import { MailError } from "./mail-error.js";

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters. */
const MAX_ADDRESS_LENGTH = 254;

/**
 * What cannot be in one plain address: separators of an address list (`,` `;`), the syntax of
 * display names, groups, comments and quoting (`<>()":\[]`), whitespace, controls and invisible
 * format characters. A line break would end the To header and start another one (header
 * injection); a comma would make nodemailer's address parser see two recipients.
 */
const NOT_IN_A_PLAIN_ADDRESS = /[\s\p{Cc}\p{Cf},;<>()":\\[\]]/u;

/**
 * The recipient of a message, checked to be exactly one plain address before any connection is
 * made, whatever the flow passed. Non-ASCII addresses pass (RFC 6531); the server says whether
 * it takes them. Throws MailError MAIL_RECIPIENT_INVALID, whose message never echoes the value.
 */
export function checkRecipient(to: string): string {
  const at = to.lastIndexOf("@");
  if (
    to.length > MAX_ADDRESS_LENGTH ||
    at <= 0 ||
    at === to.length - 1 ||
    to.indexOf("@") !== at ||
    NOT_IN_A_PLAIN_ADDRESS.test(to)
  ) {
    throw new MailError(
      "MAIL_RECIPIENT_INVALID",
      "the recipient is not exactly one plain email address; nothing was sent",
    );
  }
  return to;
}
