import { usageError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A lifetime flag: plain seconds ("900") or a number with a unit ("15m", "1h", "7d", "30s"). */
export function parseTTL(flag: string, value: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(value.trim());
  const amount = match?.[1];
  if (match === null || amount === undefined) {
    throw usageError(`${flag} must be seconds or a number with s, m, h or d (e.g. 900, 15m, 1h, 7d), got '${value}'`);
  }
  const seconds = Number(amount) * (UNIT_SECONDS[match[2] || "s"] ?? 1);
  if (seconds <= 0) {
    throw usageError(`${flag} must be longer than 0 seconds: tokens without an expiry are refused`);
  }
  return seconds;
}
