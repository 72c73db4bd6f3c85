import { commonPasswords } from "./common-passwords.js";

export type PasswordRule = "empty" | "too_short" | "too_long" | "common" | "invalid_characters" | "contains_email";

/** An email name shorter than this is too common a string to forbid inside passwords ("al", "jo"). */
const MIN_EMAIL_NAME = 3;

/** Why a new password is refused; `message` is safe to show the user and never repeats the password. */
export interface PasswordPolicyViolation {
  readonly rule: PasswordRule;
  readonly message: string;
}

// A lone UTF-16 surrogate has no UTF-8 form: it would be hashed as U+FFFD, so two different
// passwords would collide. NUL is refused because C-based tools downstream may truncate at it.
const INVALID = /[\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks a new password the NIST SP 800-63B §5.1.1.2 way: length in Unicode code points after
 * NFC, at least `minLength` (8 by default) and at most `maxLength` (at least 128), not holding
 * the account's email name (its part before "@", when 3 characters or more: a context-specific
 * word), and not on the bundled list of common passwords (case-insensitive). No composition
 * rules, no hints: they make passwords harder to remember without making them harder to guess.
 * Returns null when acceptable.
 *
 * @example
 * checkPasswordPolicy("password123", { minLength: 8, maxLength: 128 })?.rule; // "common"
 */
export function checkPasswordPolicy(
  password: string,
  options: { minLength: number; maxLength: number; email?: string },
): PasswordPolicyViolation | null {
  if (password.trim() === "") {
    return { rule: "empty", message: "the password is empty" };
  }
  if (INVALID.test(password)) {
    return { rule: "invalid_characters", message: "the password contains a NUL or an unpaired surrogate character" };
  }
  const normalized = password.normalize("NFC");
  // Cheap bound before counting: a string of N UTF-16 units has at least N/2 code points.
  const length = normalized.length > options.maxLength * 2 ? normalized.length : [...normalized].length;
  if (length < options.minLength) {
    return {
      rule: "too_short",
      message: `the password must be at least ${options.minLength} characters long (it has ${length})`,
    };
  }
  if (length > options.maxLength) {
    return { rule: "too_long", message: `the password must be at most ${options.maxLength} characters long` };
  }
  const name = options.email?.slice(0, options.email.lastIndexOf("@")).normalize("NFC").toLowerCase();
  if (name !== undefined && [...name].length >= MIN_EMAIL_NAME && normalized.toLowerCase().includes(name)) {
    return {
      rule: "contains_email",
      message: "the password contains the account's email name, the first thing an attacker tries; choose another",
    };
  }
  if (commonPasswords().has(normalized.toLowerCase())) {
    return {
      rule: "common",
      message: "this password is on a list of commonly used passwords that attackers try first; choose another",
    };
  }
  return null;
}
