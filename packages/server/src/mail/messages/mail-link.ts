declare const mailLinkBrand: unique symbol;

/**
 * An absolute URL on the issuer, made by {@link mailLink}: the builders take no other link, so a
 * message can only ever send its reader to this server, never to a URL a request supplied.
 */
export type MailLink = string & { readonly [mailLinkBrand]: true };

/**
 * The URL of `path` (starting with `/`) under the issuer, with `query` as its query string.
 * Throws TypeError for a path that would leave the issuer (`//host`, `..`, a scheme) or already
 * holds `?` or `#`.
 *
 * @example
 * const link = mailLink(config.issuer, "/account/verify", { code });
 */
export function mailLink(issuer: string, path: string, query: Readonly<Record<string, string>> = {}): MailLink {
  if (!path.startsWith("/") || path.startsWith("//") || /[?#\\]|(^|\/)\.\.?(\/|$)/.test(path)) {
    throw new TypeError(`mailLink: ${JSON.stringify(path)} must be a plain path starting with /`);
  }
  const base = new URL(issuer);
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`);
  if (url.origin !== base.origin) throw new TypeError("mailLink: the path leaves the issuer");
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  return url.href as MailLink;
}
