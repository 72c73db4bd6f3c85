import type { Algorithm, Options } from "@node-rs/argon2";

/**
 * OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB (19456 KiB), t = 2, p = 1 (the
 * first of its equivalent parameter sets; RFC 9106 §4's higher-memory set would cost 2 GiB per
 * concurrent login, too much for the small servers Sigil targets).
 */
export const ARGON2_PARAMS = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/** @node-rs/argon2's Algorithm is an ambient const enum (absent at run time): Argon2id = 2. */
const ARGON2ID = 2 as Algorithm;

export const ARGON2_OPTIONS: Options = Object.freeze({ ...ARGON2_PARAMS, algorithm: ARGON2ID });

/**
 * An argon2id hash of a random password nobody knows, with ARGON2_PARAMS. Unknown-user logins
 * verify against it so they cost the same time as a wrong password for a real user.
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$CCW/Xy0ZJ4Mv5L5/1+9DjA$k0GoxG04H/GcGvv4Z8QZcNhoFlpQ/re38ZxKXMDI/5E";

const PHC = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export interface Argon2HashParams {
  readonly variant: "argon2id" | "argon2i" | "argon2d";
  readonly version: number;
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** The parameters of an argon2 PHC string, or undefined when it is not one. */
export function parseArgon2Hash(hash: string): Argon2HashParams | undefined {
  const match = PHC.exec(hash);
  if (!match) return undefined;
  return {
    variant: match[1] as Argon2HashParams["variant"],
    version: Number(match[2]),
    memoryCost: Number(match[3]),
    timeCost: Number(match[4]),
    parallelism: Number(match[5]),
  };
}

/** $2a$ / $2b$ / $2y$ with a two-digit cost and the 53 characters of salt and hash. */
export const BCRYPT_HASH = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
