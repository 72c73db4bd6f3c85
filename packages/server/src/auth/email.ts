/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters. */
const MAX_EMAIL_LENGTH = 254;

/** Separators and spaces, controls, format characters, surrogates, private use, unassigned. */
const INVISIBLE = /[\p{Z}\s\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/**
 * The login key of an email address: trimmed, NFC-normalized (so the same visible address typed
 * on two keyboards is one account) and lower-cased. Lower-casing the local part is not strictly
 * RFC 5321, but every mainstream provider treats it case-insensitively and the alternative lets
 * "Alice@x" and "alice@x" be two accounts. Returns null for something that is not an address:
 * one "@" with non-empty sides, at most 254 characters, and no character that does not show —
 * whitespace, controls, and the invisible format characters (zero-width space and joiners, soft
 * hyphen, bidirectional controls: Unicode category Cf) that would let two accounts look
 * identical on a screen, nor unassigned or private-use code points.
 */
export function normalizeEmail(raw: string): { email: string; normalized: string } | null {
  const email = raw.trim().normalize("NFC");
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return null;
  if (INVISIBLE.test(email)) return null;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) return null;
  return { email, normalized: email.toLowerCase() };
}
