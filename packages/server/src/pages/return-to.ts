/**
 * Where the sign-in pages may send a browser afterwards (`?return_to=`): a path on this server,
 * or a URL on one of the operator's web origins (SIGIL_WEB_ORIGINS) — nothing else, so a link
 * to the sign-in page cannot bounce a user to an attacker's site with Sigil's name on the way
 * (an open redirect, OWASP Unvalidated Redirects and Forwards). Anything refused is dropped
 * (the user lands on the account page) and logged for the operator.
 */
export function allowedReturnTo(
  raw: string | undefined,
  options: { issuer: string; webOrigins: readonly string[] },
): string | undefined {
  if (raw === undefined || raw === "" || raw.length > 2048) return undefined;
  // Control characters and backslashes: browsers "fix" them in ways a parser here would not.
  if (/[\p{Cc}\\]/u.test(raw)) return undefined;
  const issuer = new URL(options.issuer);
  let url: URL;
  try {
    url = new URL(raw, issuer);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username !== "" || url.password !== "") return undefined;
  if (url.origin === issuer.origin) {
    // A path of this server: kept relative, so it works whichever host name the browser used.
    if (raw.startsWith("/") && !raw.startsWith("//")) return `${url.pathname}${url.search}${url.hash}`;
    return url.href;
  }
  return options.webOrigins.includes(url.origin) ? url.href : undefined;
}
