import { JWTError } from "../errors/jwt-error.js";
import { DEFAULT_MAX_TOKEN_SIZE } from "../jws/compact.js";
import { describeAllowed, type HeaderPolicy } from "../jws/header-check.js";
import { prepareVerificationKey } from "../jws/prepared-key.js";
import { staticKeySet } from "../keys/static-key-set.js";
import { isSupportedAlgorithm } from "../lib/algorithms.js";
import type { VerificationKey, VerificationKeySet } from "../types.js";
import { normalizeTyp } from "./typ.js";
import type { VerifierOptions } from "./verifier-options.js";

/**
 * Seconds of clock skew a verifier allows for exp, nbf and iat unless told otherwise (RFC 7519
 * §4.1.4 leaves the leeway to the verifier: "usually no more than a few minutes").
 *
 * @example createVerifier({ algorithms, keys }) // tolerates DEFAULT_CLOCK_TOLERANCE (30) seconds
 */
export const DEFAULT_CLOCK_TOLERANCE = 30;

/** Verifier options after validation, in the shapes the hot path wants. */
export interface VerifierConfig extends HeaderPolicy {
  readonly keySet: VerificationKeySet;
  readonly issuer: readonly string[] | undefined;
  readonly audience: readonly string[] | undefined;
  readonly subject: string | undefined;
  /** Normalized expected typ (see normalizeTyp). */
  readonly typ: string | undefined;
  readonly clockTolerance: number;
  readonly maxTokenAge: number | undefined;
  readonly requiredClaims: readonly string[];
  readonly requireExpiry: boolean;
  readonly maxTokenSize: number;
  /** 0 when the cache is off. */
  readonly cacheEntries: number;
  readonly now: () => number;
}

const KNOWN = new Set<string>([
  "algorithms",
  "keys",
  "issuer",
  "audience",
  "subject",
  "typ",
  "clockTolerance",
  "maxTokenAge",
  "requiredClaims",
  "requireExpiry",
  "maxTokenSize",
  "cache",
  "now",
]);

/**
 * Validates verifier options once, naming the bad option. Unknown options are refused too: a
 * misspelt `audiance` silently skipping the audience check would be a security bug.
 */
export function resolveOptions(options: VerifierOptions): VerifierConfig {
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) invalid(name, "is not a verifier option");
  }
  const algorithms = resolveAlgorithms(options.algorithms);
  const keySet = resolveKeys(options.keys, algorithms);
  const cache = options.cache;
  if (cache !== undefined && cache !== false && (typeof cache !== "object" || cache === null)) {
    invalid("cache", "must be false or { maxEntries }");
  }
  const cacheEntries = cache === false ? 0 : count(cache?.maxEntries, "cache.maxEntries", 10_000);
  if (options.now !== undefined && typeof options.now !== "function") invalid("now", "must be a function returning ms");
  if (options.requireExpiry !== undefined && typeof options.requireExpiry !== "boolean") {
    invalid("requireExpiry", "must be a boolean");
  }
  const typ = optionalString(options.typ, "typ");
  return {
    algorithms: new Set(algorithms),
    allowedText: describeAllowed(algorithms),
    keySet,
    issuer: stringList(options.issuer, "issuer"),
    audience: stringList(options.audience, "audience"),
    subject: optionalString(options.subject, "subject"),
    typ: typ === undefined ? undefined : normalizeTyp(typ),
    clockTolerance: seconds(options.clockTolerance, "clockTolerance", DEFAULT_CLOCK_TOLERANCE),
    maxTokenAge: options.maxTokenAge === undefined ? undefined : positiveSeconds(options.maxTokenAge, "maxTokenAge"),
    requiredClaims: stringList(options.requiredClaims, "requiredClaims", { allowEmpty: true }) ?? [],
    requireExpiry: options.requireExpiry ?? true,
    maxTokenSize: count(options.maxTokenSize, "maxTokenSize", DEFAULT_MAX_TOKEN_SIZE),
    cacheEntries,
    // Read Date.now per call, not captured here, so that test doubles of Date apply.
    now: options.now ?? (() => Date.now()),
  };
}

function resolveAlgorithms(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    invalid("algorithms", 'must be a non-empty list of algorithms, e.g. ["EdDSA"] (RFC 8725 §3.1)');
  }
  const algorithms: string[] = [];
  for (const [i, alg] of value.entries()) {
    if (typeof alg === "string" && alg.toLowerCase() === "none") {
      invalid(`algorithms[${i}]`, "is none: unsigned tokens are never accepted (RFC 8725 §3.2)");
    }
    if (typeof alg !== "string" || !isSupportedAlgorithm(alg))
      invalid(`algorithms[${i}]`, "is not a supported algorithm");
    if (!algorithms.includes(alg)) algorithms.push(alg);
  }
  return algorithms;
}

function resolveKeys(value: unknown, algorithms: readonly string[]): VerificationKeySet {
  if (Array.isArray(value)) {
    if (value.length === 0) invalid("keys", "is empty: a verifier needs at least one key");
    let usable = 0;
    for (const [i, key] of (value as VerificationKey[]).entries()) {
      if (typeof key !== "object" || key === null || typeof key.kid !== "string") {
        invalid(`keys[${i}]`, "must be { kid, alg, key: KeyObject }");
      }
      const prepared = prepareVerificationKey(key);
      // Checked here once for a fixed list; a key set's keys are checked as they are used.
      if (!prepared.usable) invalid(`keys[${i}]`, `cannot be used: ${prepared.reason}`);
      if (algorithms.includes(key.alg)) usable++;
    }
    if (usable === 0) invalid("keys", "has no key for any of the allowed algorithms");
    return staticKeySet(value as VerificationKey[]);
  }
  const set = value as VerificationKeySet | null | undefined;
  if (typeof set !== "object" || set === null || typeof set.find !== "function" || typeof set.version !== "number") {
    invalid("keys", "must be a list of keys or a key set with version and find(kid)");
  }
  return set;
}

function stringList(value: unknown, option: string, rule = { allowEmpty: false }): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || (!rule.allowEmpty && list.length === 0))
    invalid(option, "must be a string or a list of strings");
  for (const [i, item] of list.entries()) {
    if (typeof item !== "string" || item === "") invalid(`${option}[${i}]`, "must be a non-empty string");
  }
  return Object.freeze([...(list as string[])]);
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value !== undefined && (typeof value !== "string" || value === "")) invalid(option, "must be a non-empty string");
  return value as string | undefined;
}

function seconds(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    invalid(option, "must be a number of seconds >= 0");
  return value;
}

function positiveSeconds(value: unknown, option: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    invalid(option, "must be a number of seconds > 0");
  return value;
}

function count(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    invalid(option, "must be a positive integer");
  return value;
}

function invalid(option: string, problem: string): never {
  throw new JWTError("OPTIONS_INVALID", `${option} ${problem}`, { option });
}
