/**
 * Human-readable times for error messages and the CLI: "8 h 3 min", "expired 8 h 3 min ago
 * (exp 2026-11-24T09:12:00Z, server time 17:15:03Z)". Everything here is on error or tooling
 * paths, never on the verifier's hot path, and never throws (a token may carry any number).
 */

const UNITS: readonly (readonly [seconds: number, label: string])[] = [
  [86_400, "d"],
  [3_600, "h"],
  [60, "min"],
  [1, "s"],
];

/** Beyond this, a token's time is nonsense and "12345678 d" would not help anyone. */
const THOUSAND_YEARS = 1000 * 365.25 * 86_400;

/**
 * A duration as its largest unit and, when not zero, the next one down: "3 d 2 h", "8 h 3 min",
 * "14 min", "45 s". The sign is ignored (callers say "ago" or "in"); fractions are truncated.
 *
 * @example formatDuration(28_980) // "8 h 3 min"
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "an unbounded time";
  const total = Math.floor(Math.abs(seconds));
  if (total >= THOUSAND_YEARS) return "over 1000 years";
  for (let i = 0; i < UNITS.length; i++) {
    const [size, label] = UNITS[i]!;
    if (total < size) continue;
    const major = Math.floor(total / size);
    const next = UNITS[i + 1];
    const minor = next === undefined ? 0 : Math.floor((total % size) / next[0]);
    return next !== undefined && minor > 0 ? `${major} ${label} ${minor} ${next[1]}` : `${major} ${label}`;
  }
  return "0 s";
}

/** Largest NumericDate a JavaScript Date can show (ECMA-262 §21.4.1.1: ±8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12;

/** An epoch-seconds time as ISO 8601 UTC without milliseconds, or the bare number when out of range. */
export function isoTime(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds) || Math.abs(epochSeconds) > MAX_DATE_SECONDS) return String(epochSeconds);
  const iso = new Date(Math.floor(epochSeconds) * 1000).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * An epoch-seconds time and how far it is from now: "2026-11-24T09:12:00Z (8 h 3 min ago)",
 * "… (in 14 min)", "… (now)".
 */
export function describeTime(epochSeconds: number, nowMs: number): string {
  const delta = epochSeconds - Math.floor(nowMs / 1000);
  if (!Number.isFinite(delta)) return isoTime(epochSeconds);
  const relative =
    Math.abs(delta) < 1 ? "now" : delta < 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(delta)}`;
  return `${isoTime(epochSeconds)} (${relative})`;
}

/**
 * The server's clock for a message next to another time: only the time of day when both fall on
 * the same UTC date ("17:15:03Z"), the full ISO time otherwise.
 */
export function serverTime(nowMs: number, nextTo: number): string {
  const now = isoTime(Math.floor(nowMs / 1000));
  const other = isoTime(nextTo);
  return now.length === 20 && other.slice(0, 11) === now.slice(0, 11) ? now.slice(11) : now;
}
