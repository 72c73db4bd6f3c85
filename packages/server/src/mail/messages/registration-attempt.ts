import type { MailMessage } from "../mailer.js";
import { composeMail, type MailBlock } from "./layout.js";
import type { MailLink } from "./mail-link.js";
import { checkProduct, type MessageInput } from "./message-input.js";

export interface RegistrationAttemptInput extends MessageInput {
  /** The sign-in page (mailLink on the issuer). */
  readonly signInLink?: MailLink;
  /** Where to reset the password (mailLink on the issuer). */
  readonly resetLink?: MailLink;
}

/**
 * Sent when someone registers with an address that already has an account. Registration then
 * answers exactly as for a new address, so it does not tell a stranger which addresses have
 * accounts; this message tells the owner instead, who may simply have forgotten.
 *
 * @example
 * await mailer.send(registrationAttemptNotice({ to, product: config.productName }));
 */
export function registrationAttemptNotice(input: RegistrationAttemptInput): MailMessage {
  const product = checkProduct(input.product);
  const blocks: MailBlock[] = [
    {
      paragraph: `Someone tried to create a new ${product} account with this address (${input.to}), which already has one. No new account was created, and yours was not changed.`,
    },
    { paragraph: "If it was you, sign in to your existing account; if you forgot its password, reset it." },
    ...(input.signInLink === undefined ? [] : [{ link: input.signInLink, label: "Sign in" }]),
    ...(input.resetLink === undefined ? [] : [{ link: input.resetLink, label: "Reset your password" }]),
    {
      paragraph:
        "If it was not you, you can ignore this message: no one can sign in to your account without your password.",
    },
  ];
  return composeMail({
    kind: "registration-attempt",
    to: input.to,
    product,
    subject: `Someone tried to sign up for ${product} with your address`,
    blocks,
  });
}
