import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import { type CodeMessageInput, checkCode, checkProduct, describeMinutes } from "./message-input.js";

/**
 * The code that proves a new account's owner reads the mail of its address.
 *
 * @example
 * await mailer.send(verificationCodeMessage({ to, code, expiresInMinutes: 15, product: config.productName,
 *   link: mailLink(config.issuer, "/account/verify", { code }) }));
 */
export function verificationCodeMessage(input: CodeMessageInput): MailMessage {
  const product = checkProduct(input.product);
  const blocks: MailBlock[] = [
    { paragraph: `Enter this code to verify your email address for ${product}:` },
    { code: checkCode(input.code) },
    ...(input.link === undefined ? [] : [{ link: input.link, label: "Or open this link to verify it" }]),
    { paragraph: `The code expires in ${describeMinutes(input.expiresInMinutes)}.` },
    {
      paragraph: `If you did not create a ${product} account with this address, ignore this message: nothing happens without the code.`,
    },
  ];
  return composeMail({
    kind: "verification-code",
    to: input.to,
    product,
    subject: `Your ${product} verification code`,
    blocks,
  });
}
