/**
 * The value of one cookie in a Cookie header (RFC 6265 §5.4 cookie-string), undefined if absent.
 * Values are not decoded (tokens need none). Two cookies of the same name — set for two paths,
 * or one planted by a sibling subdomain (cookie tossing) — are ambiguous: the answer is "", which
 * no caller accepts as a credential.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let found: string | undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    // Two cookies of the same name (e.g. set for two paths) are ambiguous: take neither.
    if (found !== undefined) return "";
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found = value;
  }
  return found;
}
