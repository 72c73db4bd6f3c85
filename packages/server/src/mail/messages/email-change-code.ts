import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import { type CodeMessageInput, checkCode, checkProduct, describeMinutes } from "./message-input.js";

/**
 * Sent to the new address of an email change: the code proves its owner reads it before the
 * account moves there. The old address gets {@link emailChangeNotice}.
 *
 * @example
 * await mailer.send(emailChangeCodeMessage({ to: newAddress, code, expiresInMinutes: 15, product: config.productName }));
 */
export function emailChangeCodeMessage(input: CodeMessageInput): MailMessage {
  const product = checkProduct(input.product);
  const blocks: MailBlock[] = [
    {
      paragraph: `Someone asked to use this address (${input.to}) for their ${product} account. If it was you, enter this code to confirm it:`,
    },
    { code: checkCode(input.code) },
    ...(input.link === undefined ? [] : [{ link: input.link, label: "Or open this link to confirm it" }]),
    { paragraph: `The code expires in ${describeMinutes(input.expiresInMinutes)}.` },
    {
      paragraph: "If it was not you, ignore this message: this address is not added to any account without the code.",
    },
  ];
  return composeMail({
    kind: "email-change-code",
    to: input.to,
    product,
    subject: `Confirm your new email address for ${product}`,
    blocks,
  });
}
