// The messages the server sends, one builder per file, each with a plain-text and an HTML body.
// This file only re-exports.
export { emailChangeCodeMessage } from "./email-change-code.js";
export { type EmailChangeNoticeInput, emailChangeNotice } from "./email-change-notice.js";
export { type MailLink, mailLink } from "./mail-link.js";
export type { CodeMessageInput, MessageInput } from "./message-input.js";
export { type PasswordChangedInput, passwordChangedNotice } from "./password-changed.js";
export { passwordResetMessage } from "./password-reset.js";
export { type RegistrationAttemptInput, registrationAttemptNotice } from "./registration-attempt.js";
export { verificationCodeMessage } from "./verification-code.js";
