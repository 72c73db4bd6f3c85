// The server's mail: where it goes (Mailer and its SMTP, outbox and disabled implementations,
// chosen by createMailer) and what it says (the message builders). This file only re-exports.
export { createMailer } from "./create-mailer.js";
export { createDisabledMailer } from "./disabled-mailer.js";
export { isMailError, MAIL_ERRORS, MailError, type MailErrorCode, type MailFailureReason } from "./mail-error.js";
export { MAIL_KIND_NAMES, type Mailer, type MailKind, type MailMessage } from "./mailer.js";
export {
  type CodeMessageInput,
  type EmailChangeNoticeInput,
  emailChangeCodeMessage,
  emailChangeNotice,
  type MailLink,
  type MessageInput,
  mailLink,
  type PasswordChangedInput,
  passwordChangedNotice,
  passwordResetMessage,
  type RegistrationAttemptInput,
  registrationAttemptNotice,
  verificationCodeMessage,
} from "./messages/index.js";
export { createOutboxMailer, type OutboxMailerOptions } from "./outbox-mailer.js";
export { createSmtpMailer, type SmtpMailerOptions } from "./smtp-mailer.js";
