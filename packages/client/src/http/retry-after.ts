/**
 * Seconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP-date. A date is measured against the same answer's `Date` header, both being the server's
 * clock, so a wrong local clock cannot turn "in 30 s" into "8 hours ago".
 */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const seconds = (Date.parse(value) - Date.parse(headers.get("date") ?? "")) / 1000;
  return Number.isNaN(seconds) ? undefined : Math.max(0, Math.ceil(seconds));
}
