import { formatDuration } from "@sigil/jwt";

/** NumericDate claims shown as dates (RFC 7519 §4.1.4–6; auth_time from OIDC Core §2). */
export const TIME_CLAIMS = ["exp", "nbf", "iat", "auth_time"] as const;

/** A NumericDate as an ISO 8601 UTC date without milliseconds. */
export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return "not a representable date";
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "expires in 14 min", "expired 8 h ago", "issued 3 min ago", ... relative to now (milliseconds). */
export function relativeTime(claim: string, seconds: number, nowMs: number): string {
  const delta = Math.round(seconds - nowMs / 1000);
  const span = describeSpan(Math.abs(delta));
  const future = delta > 0;
  switch (claim) {
    case "exp":
      return future ? `expires in ${span}` : `expired ${span} ago`;
    case "nbf":
      return future ? `not valid for another ${span}` : `valid since ${span} ago`;
    case "iat":
      return future ? `issued ${span} in the future` : `issued ${span} ago`;
    default:
      return future ? `${span} from now` : `${span} ago`;
  }
}

/** Seconds in a Julian year, for spans too long to read in days. */
const YEAR_SECONDS = 31_557_600;

/** "14 min", "8 h 3 min", "3 d 2 h" — and "8.9 years" past two years, where days stop meaning much. */
function describeSpan(seconds: number): string {
  return seconds >= 2 * YEAR_SECONDS ? `${(seconds / YEAR_SECONDS).toFixed(1)} years` : formatDuration(seconds);
}

/** One line per time claim present: name, ISO date, relative time — or why it is not a date. */
export function describeTimeClaims(payload: Readonly<Record<string, unknown>>, nowMs: number): string[] {
  const lines: string[] = [];
  for (const claim of TIME_CLAIMS) {
    if (!(claim in payload)) continue;
    const value = payload[claim];
    const label = claim.padEnd(10);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      lines.push(`${label}${JSON.stringify(value)}  not a NumericDate (must be a number of seconds since 1970)`);
      continue;
    }
    lines.push(`${label}${isoDate(value)}  ${relativeTime(claim, value, nowMs)}`);
  }
  return lines;
}
