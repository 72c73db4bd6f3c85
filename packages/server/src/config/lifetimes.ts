import { ConfigError } from "./config-error.js";
import { checkDurationBounds, formatSeconds, parseDuration } from "./parse-values.js";

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;

type Get = (name: string) => string | undefined;

/** A duration setting in whole seconds, default `fallback`, within `bounds` (the reason in `why`). */
export function readDuration(
  get: Get,
  name: string,
  fallback: string,
  bounds: { min: number; max: number; why?: string },
): number {
  return checkDurationBounds(name, parseDuration(name, get(name) ?? fallback), bounds);
}

export interface Lifetimes {
  accessTokenTtl: number;
  refreshAbsoluteTtl: number;
  refreshIdleTtl: number;
  refreshGraceSeconds: number;
  clockTolerance: number;
  jwksMaxAge: number;
  keyRotationInterval: number;
}

/** The token, session and key lifetimes, each within its bounds and consistent with the others. */
export function readLifetimes(get: Get): Lifetimes {
  const accessTokenTtl = readDuration(get, "SIGIL_ACCESS_TOKEN_TTL", "15m", {
    min: 30,
    max: HOUR,
    why: "an access token cannot be recalled from resource servers that only check its signature, so keep it short and let refresh tokens carry long sessions",
  });
  const refreshAbsoluteTtl = readDuration(get, "SIGIL_REFRESH_ABSOLUTE_TTL", "30d", { min: HOUR, max: 365 * DAY });
  const refreshIdleTtl = readDuration(get, "SIGIL_REFRESH_IDLE_TTL", "7d", { min: 5 * MINUTE, max: 365 * DAY });
  if (refreshIdleTtl > refreshAbsoluteTtl) {
    throw new ConfigError(
      "SIGIL_REFRESH_IDLE_TTL",
      `${formatSeconds(refreshIdleTtl)} must not exceed SIGIL_REFRESH_ABSOLUTE_TTL (${formatSeconds(refreshAbsoluteTtl)}); lower it or raise the absolute lifetime`,
    );
  }
  if (refreshIdleTtl < accessTokenTtl) {
    throw new ConfigError(
      "SIGIL_REFRESH_IDLE_TTL",
      `${formatSeconds(refreshIdleTtl)} must be at least SIGIL_ACCESS_TOKEN_TTL (${formatSeconds(accessTokenTtl)}), or a client refreshing when its access token expires finds its session idle-expired`,
    );
  }
  const refreshGraceSeconds = readDuration(get, "SIGIL_REFRESH_GRACE_WINDOW", "10s", {
    min: 0,
    max: 60,
    why: "a longer window gives a stolen refresh token more time before reuse is treated as theft",
  });
  const clockTolerance = readDuration(get, "SIGIL_CLOCK_TOLERANCE", "30s", { min: 0, max: 5 * MINUTE });
  const jwksMaxAge = readDuration(get, "SIGIL_JWKS_MAX_AGE", "5m", { min: 0, max: DAY });
  const keyRotationInterval = readDuration(get, "SIGIL_KEY_ROTATION_INTERVAL", "30d", { min: HOUR, max: 365 * DAY });
  // A new key is published a JWKS max-age before it signs, and an old one stays until its
  // tokens expire: a shorter interval would retire keys that verifiers have not yet seen.
  const rotationFloor = accessTokenTtl + jwksMaxAge + clockTolerance;
  if (keyRotationInterval <= rotationFloor) {
    throw new ConfigError(
      "SIGIL_KEY_ROTATION_INTERVAL",
      `${formatSeconds(keyRotationInterval)} must be longer than access TTL + JWKS max-age + clock tolerance (${formatSeconds(rotationFloor)}); raise it`,
    );
  }
  return {
    accessTokenTtl,
    refreshAbsoluteTtl,
    refreshIdleTtl,
    refreshGraceSeconds,
    clockTolerance,
    jwksMaxAge,
    keyRotationInterval,
  };
}
