import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import type { MailLink } from "./mail-link.js";
import { checkProduct, describeTime, type MessageInput } from "./message-input.js";

export interface PasswordChangedInput extends MessageInput {
  readonly changedAt: Date;
  /** Where to reset the password (mailLink on the issuer); without it, the message points to the sign-in page. */
  readonly resetLink?: MailLink;
}

/**
 * Tells the owner that the password changed, so that a change made by someone else does not go
 * unnoticed: the one message that reaches the owner after a takeover.
 *
 * @example
 * await mailer.send(passwordChangedNotice({ to, changedAt: new Date(now()), product: config.productName }));
 */
export function passwordChangedNotice(input: PasswordChangedInput): MailMessage {
  const product = checkProduct(input.product);
  const how = input.resetLink === undefined ? 'with "Forgot password" on the sign-in page' : "with the link below";
  const blocks: MailBlock[] = [
    {
      paragraph: `The password of your ${product} account (${input.to}) was changed on ${describeTime(input.changedAt)}.`,
    },
    { paragraph: "If it was you, there is nothing more to do." },
    {
      paragraph: `If it was not you, someone else may know your password: reset it now ${how}, and choose one you use nowhere else.`,
    },
    ...(input.resetLink === undefined ? [] : [{ link: input.resetLink, label: "Reset your password" }]),
  ];
  return composeMail({
    kind: "password-changed",
    to: input.to,
    product,
    subject: `Your ${product} password was changed`,
    blocks,
  });
}
