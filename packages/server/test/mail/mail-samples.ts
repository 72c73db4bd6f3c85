import {
  emailChangeCodeMessage,
  emailChangeNotice,
  type MailKind,
  type MailMessage,
  mailLink,
  passwordChangedNotice,
  passwordResetMessage,
  registrationAttemptNotice,
  verificationCodeMessage,
} from "../../src/mail/index.js";

export const ISSUER = "https://auth.example.com";
/** A product name that would run script, break an attribute and open a tag if it were not escaped. */
export const HOSTILE_PRODUCT = `Acme <script>alert("x")</script> & 'Co' <img src=x>`;
export const CODE = "KX7-94Q";
export const AT = new Date(Date.UTC(2026, 0, 31, 9, 5, 7));

/** One message of each kind, to `to`, with links on the issuer. */
export function everyMessage(to: string, product = HOSTILE_PRODUCT): Record<MailKind, MailMessage> {
  const link = mailLink(ISSUER, "/account/code", { code: CODE });
  const resetLink = mailLink(ISSUER, "/account/reset");
  const code = { to, product, code: CODE, expiresInMinutes: 15, link };
  return {
    "verification-code": verificationCodeMessage(code),
    "password-reset": passwordResetMessage(code),
    "email-change-code": emailChangeCodeMessage(code),
    "password-changed": passwordChangedNotice({ to, product, changedAt: AT, resetLink }),
    "registration-attempt": registrationAttemptNotice({
      to,
      product,
      signInLink: mailLink(ISSUER, "/sign-in"),
      resetLink,
    }),
    "email-change-notice": emailChangeNotice({
      to,
      product,
      newAddress: "new-home@example.org",
      requestedAt: AT,
      resetLink,
    }),
  };
}

/** The kinds that carry a one-time code. */
export const CODE_KINDS: readonly MailKind[] = ["verification-code", "password-reset", "email-change-code"];
