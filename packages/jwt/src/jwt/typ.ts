/**
 * A `typ` value in canonical form for comparison: media type names are case-insensitive
 * (RFC 2045 §5.1), and RFC 7515 §4.1.9 lets the "application/" prefix be omitted when no other
 * "/" appears — so "at+jwt", "AT+JWT" and "application/at+jwt" are the same type (RFC 9068 §2.1,
 * RFC 8725 §3.11).
 */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  const rest = lower.startsWith("application/") ? lower.slice(12) : lower;
  return rest.includes("/") ? lower : rest;
}
