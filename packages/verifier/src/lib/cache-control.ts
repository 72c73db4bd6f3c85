/**
 * The freshness lifetime a response allows, in milliseconds, from `Cache-Control`
 * (RFC 9111 §5.2.2): `max-age`, or 0 for `no-store`/`no-cache`; undefined when the header says
 * nothing usable. `s-maxage` is for shared caches and ignored here (RFC 9111 §5.2.2.10).
 */
export function freshnessMs(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  let maxAge: number | undefined;
  for (const part of cacheControl.split(",")) {
    const directive = part.trim().toLowerCase();
    if (directive === "no-store" || directive === "no-cache") return 0;
    const match = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(directive);
    if (match) maxAge = Number(match[1]) * 1000;
  }
  return maxAge;
}
