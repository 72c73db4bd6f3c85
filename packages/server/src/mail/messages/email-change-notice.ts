import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import type { MailLink } from "./mail-link.js";
import { checkProduct, checkShownAddress, describeTime, type MessageInput } from "./message-input.js";

export interface EmailChangeNoticeInput extends MessageInput {
  /** The address the account is moving to, shown in full: the owner needs it to recognise the change, or to report it. */
  readonly newAddress: string;
  readonly requestedAt: Date;
  /** Where to reset the password (mailLink on the issuer). */
  readonly resetLink?: MailLink;
}

/**
 * Sent to the old address when an email change starts: after the change, the old address
 * receives nothing more, so this is the owner's one chance to notice a change they did not make.
 * The new address gets {@link emailChangeCodeMessage}.
 *
 * @example
 * await mailer.send(emailChangeNotice({ to: oldAddress, newAddress, requestedAt: new Date(now()), product: config.productName }));
 */
export function emailChangeNotice(input: EmailChangeNoticeInput): MailMessage {
  const product = checkProduct(input.product);
  const how = input.resetLink === undefined ? 'with "Forgot password" on the sign-in page' : "with the link below";
  const blocks: MailBlock[] = [
    {
      paragraph: `On ${describeTime(input.requestedAt)} someone asked to change the email address of your ${product} account from ${input.to} to ${checkShownAddress(input.newAddress)}. The change takes effect once the new address is confirmed with a code sent to it.`,
    },
    { paragraph: "If it was you, there is nothing more to do." },
    {
      paragraph: `If it was not you, someone else may be signed in to your account: reset your password right away ${how}.`,
    },
    ...(input.resetLink === undefined ? [] : [{ link: input.resetLink, label: "Reset your password" }]),
  ];
  return composeMail({
    kind: "email-change-notice",
    to: input.to,
    product,
    subject: `The email address of your ${product} account is being changed`,
    blocks,
  });
}
