import { ConfigError } from "./config-error.js";

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const DURATION = /^(\d{1,9})\s*([smhd]?)$/;
const INTEGER = /^\d{1,10}$/;

/** "900", "15m", "1h", "7d" → seconds. Whole numbers only: a fraction in a TTL is a mistake. */
export function parseDuration(setting: string, raw: string): number {
  const match = DURATION.exec(raw.toLowerCase());
  if (!match) {
    throw new ConfigError(
      setting,
      `must be a duration in seconds or with a unit, like 900, 30s, 15m, 1h or 7d (got ${JSON.stringify(raw)})`,
    );
  }
  return Number(match[1]) * (UNIT_SECONDS[match[2] || "s"] ?? 1);
}

/** A whole number of seconds within bounds, with the bounds and the unit in the message. */
export function checkDurationBounds(
  setting: string,
  seconds: number,
  bounds: { min: number; max: number; why?: string },
): number {
  if (seconds < bounds.min || seconds > bounds.max) {
    const why = bounds.why ? `: ${bounds.why}` : "";
    throw new ConfigError(
      setting,
      `must be between ${formatSeconds(bounds.min)} and ${formatSeconds(bounds.max)} (got ${formatSeconds(seconds)})${why}`,
    );
  }
  return seconds;
}

export function parseInteger(setting: string, raw: string, bounds: { min: number; max: number }): number {
  if (!INTEGER.test(raw)) {
    throw new ConfigError(
      setting,
      `must be a whole number from ${bounds.min} to ${bounds.max} (got ${JSON.stringify(raw)})`,
    );
  }
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigError(setting, `must be from ${bounds.min} to ${bounds.max} (got ${value})`);
  }
  return value;
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

export function parseBoolean(setting: string, raw: string): boolean {
  const value = raw.toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigError(setting, `must be true or false (got ${JSON.stringify(raw)})`);
}

export function parseChoice<T extends string>(setting: string, raw: string, choices: readonly T[]): T {
  const found = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
  if (found === undefined) {
    throw new ConfigError(setting, `must be one of ${choices.join(", ")} (got ${JSON.stringify(raw)})`);
  }
  return found;
}

/** 900 → "15m", 90 → "90s": the form a user would write back into the setting. */
export function formatSeconds(seconds: number): string {
  for (const unit of ["d", "h", "m"] as const) {
    const size = UNIT_SECONDS[unit] ?? 1;
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
