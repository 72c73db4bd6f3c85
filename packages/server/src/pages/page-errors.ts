import { type AuthError, type AuthErrorCode, isAuthError } from "../auth/auth-error.js";

/**
 * What a page tells a person when an operation refuses: a sentence saying what to do, tied to
 * the field at fault when there is one (the form shows it next to the field and the screen
 * reader announces it). The wording never says whether an address has an account. Codes not
 * listed here are not a person's to fix: the page's error handler answers them.
 */
export interface PageMessage {
  /** The form field the message belongs to; none → the form's own message at the top. */
  readonly field?: string;
  readonly text: string;
}

const MESSAGES: Partial<Record<AuthErrorCode, (error: AuthError) => PageMessage>> = {
  invalid_credentials: () => ({ text: "The email or password is incorrect." }),
  rate_limited: (error) => ({ text: `Too many attempts. ${tryAgainIn(error.retryAfterSeconds)}` }),
  recovery_limited: (error) => ({ text: `Too many attempts. ${tryAgainIn(error.retryAfterSeconds)}` }),
  registrations_limited: (error) => ({
    text: `We're getting too many sign-ups right now. ${tryAgainIn(error.retryAfterSeconds)}`,
  }),
  hash_queue_full: () => ({ text: "We're very busy right now. Please try again in a moment." }),
  invalid_email: () => ({ field: "email", text: "Enter an email address like name@example.com." }),
  // The policy's message names the rule ("too_short: the password must be …"): the sentence only.
  weak_password: (error) => ({ field: "password", text: sentence(error.description.replace(/^[a-z_]+: /, "")) }),
  registration_disabled: () => ({ text: "New accounts can't be created here. Ask the site's administrator for one." }),
  invalid_current_password: () => ({ field: "current_password", text: "That is not your current password." }),
  invalid_code: () => ({
    field: "code",
    text: "That code is wrong, has expired or was already used. Use the code from the latest email, or ask for a new one.",
  }),
  code_required: () => ({ field: "code", text: "Enter the code from the email." }),
  same_email: () => ({ field: "new_email", text: "That is already your email address." }),
  email_change_conflict: () => ({
    field: "new_email",
    text: "That address can't be used for this account. Choose another one.",
  }),
  email_not_verified: () => ({ text: "Verify your email address first: enter the code we sent you." }),
};

/** The page message for an error, or undefined when the error is not one a form can show. */
export function pageMessageOf(
  error: unknown,
  fieldNames: Partial<Record<string, string>> = {},
): PageMessage | undefined {
  if (!isAuthError(error)) return undefined;
  const message = MESSAGES[error.code]?.(error);
  if (message?.field === undefined) return message;
  // A form may name its fields differently (new_password for the policy's "password").
  return { ...message, field: fieldNames[message.field] ?? message.field };
}

function tryAgainIn(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 60) return "Try again in a minute.";
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `Try again in ${minutes} minutes.`;
  return `Try again in ${Math.ceil(minutes / 60)} hours.`;
}

function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
