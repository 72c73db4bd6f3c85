import { ConfigError } from "./config-error.js";
import { formatSeconds } from "./parse-values.js";
import { readSetting, type Setting } from "./setting.js";
import {
  SIGIL_ACCESS_TOKEN_TTL,
  SIGIL_CLOCK_TOLERANCE,
  SIGIL_JWKS_MAX_AGE,
  SIGIL_KEY_ROTATION_INTERVAL,
  SIGIL_REFRESH_ABSOLUTE_TTL,
  SIGIL_REFRESH_GRACE_WINDOW,
  SIGIL_REFRESH_IDLE_TTL,
} from "./settings.js";

type Get = (name: string) => string | undefined;

/** A setting that has a default, so it always has a value. */
function read<T>(setting: Setting<T>, get: Get): T {
  const value = readSetting(setting, get);
  if (value === undefined) throw new TypeError(`setting ${setting.name} has no default`);
  return value;
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
  const accessTokenTtl = read(SIGIL_ACCESS_TOKEN_TTL, get);
  const refreshAbsoluteTtl = read(SIGIL_REFRESH_ABSOLUTE_TTL, get);
  const refreshIdleTtl = read(SIGIL_REFRESH_IDLE_TTL, get);
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
  const refreshGraceSeconds = read(SIGIL_REFRESH_GRACE_WINDOW, get);
  const clockTolerance = read(SIGIL_CLOCK_TOLERANCE, get);
  const jwksMaxAge = read(SIGIL_JWKS_MAX_AGE, get);
  const keyRotationInterval = read(SIGIL_KEY_ROTATION_INTERVAL, get);
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
