import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import { type CodeMessageInput, checkCode, checkProduct, describeMinutes } from "./message-input.js";

/**
 * The code that lets the owner of the address set a new password. It is as good as the
 * password for as long as it works, so the message says not to share it.
 *
 * @example
 * await mailer.send(passwordResetMessage({ to, code, expiresInMinutes: 15, product: config.productName }));
 */
export function passwordResetMessage(input: CodeMessageInput): MailMessage {
  const product = checkProduct(input.product);
  const blocks: MailBlock[] = [
    {
      paragraph: `Someone asked to reset the password of your ${product} account (${input.to}). If it was you, enter this code to choose a new password:`,
    },
    { code: checkCode(input.code) },
    ...(input.link === undefined ? [] : [{ link: input.link, label: "Or open this link to choose a new password" }]),
    {
      paragraph: `The code expires in ${describeMinutes(input.expiresInMinutes)}. Do not share it: whoever has it can set your password.`,
    },
    {
      paragraph:
        "If it was not you, ignore this message and your password stays as it is. If such messages keep coming, someone may be trying to get into your account: make sure your password is one you use nowhere else.",
    },
  ];
  return composeMail({
    kind: "password-reset",
    to: input.to,
    product,
    subject: `Reset your ${product} password`,
    blocks,
  });
}
