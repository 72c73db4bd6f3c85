/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters. */
const MAX_EMAIL_LENGTH = 254;

/**
 * The login key of an email address: trimmed, NFC-normalized (so the same visible address typed
 * on two keyboards is one account) and lower-cased. Lower-casing the local part is not strictly
 * RFC 5321, but every mainstream provider treats it case-insensitively and the alternative lets
 * "Alice@x" and "alice@x" be two accounts. Returns null for something that is not an address:
 * one "@" with non-empty sides, no whitespace or control characters, at most 254 characters.
 */
export function normalizeEmail(raw: string): { email: string; normalized: string } | null {
  const email = raw.trim().normalize("NFC");
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/u.test(email)) return null;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) return null;
  return { email, normalized: email.toLowerCase() };
}
