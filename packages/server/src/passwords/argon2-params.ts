import type { Algorithm, Options } from "@node-rs/argon2";

/**
 * OWASP Password Storage Cheat Sheet, argon2id: five parameter sets that "provide an equal level
 * of defense", trading memory against passes (p = 1 in all). RFC 9106 §4's higher-memory set
 * would cost 2 GiB per concurrent login, too much for the small servers Sigil targets.
 */
export const OWASP_ARGON2ID_MINIMUMS: readonly { readonly memoryCost: number; readonly timeCost: number }[] =
  Object.freeze([
    { memoryCost: 47_104, timeCost: 1 },
    { memoryCost: 19_456, timeCost: 2 },
    { memoryCost: 12_288, timeCost: 3 },
    { memoryCost: 9_216, timeCost: 4 },
    { memoryCost: 7_168, timeCost: 5 },
  ]);

/**
 * The set Sigil hashes with: m = 12 MiB, t = 3, p = 1. Of OWASP's equal sets it is the one with
 * the most memory whose concurrent hashes still fit a shared L3 cache on a small server: on the
 * 2-core benchmark machine (32 MiB L3) two 19 MiB hashes at once ran at 0.66 of twice the single
 * rate, two 12 MiB hashes at 0.85, and each 12 MiB verify was also faster (3.8 ms against
 * 5.0 ms): `npm run bench:argon2`. Same defence; a login flood with two hashing threads went from 196
 * to 283 logins/s (docs/benchmarks.md).
 */
export const ARGON2_PARAMS = Object.freeze({ memoryCost: 12_288, timeCost: 3, parallelism: 1 });

/** @node-rs/argon2's Algorithm is an ambient const enum (absent at run time): Argon2id = 2. */
const ARGON2ID = 2 as Algorithm;

export const ARGON2_OPTIONS: Options = Object.freeze({ ...ARGON2_PARAMS, algorithm: ARGON2ID });

/**
 * An argon2id hash of a random password nobody knows, with ARGON2_PARAMS. Unknown-user logins
 * verify against it so they cost the same time as a wrong password for a real user.
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=12288,t=3,p=1$peJZcoqLyURCP9GfvQmLsQ$37N3ikJjTRT8E9tbFMve6A6EfTd3XVuCtJim/ZgIaXk";

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
