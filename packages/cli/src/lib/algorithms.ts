import { type HMACAlgorithm, isSupportedAlgorithm, type JWSAlgorithm, SUPPORTED_ALGORITHMS } from "@sigil/jwt";
import { usageError } from "./errors.js";

/**
 * Validates `--alg` values against the engine's list. `none` is never an algorithm here
 * (RFC 8725 §3.1): asking for it is a usage error, not a silent no-op.
 */
export function parseAlgorithms(values: readonly string[]): JWSAlgorithm[] {
  const result: JWSAlgorithm[] = [];
  for (const value of values) {
    if (value.toLowerCase() === "none") {
      throw usageError("alg 'none' is never accepted: an unsigned token proves nothing");
    }
    if (!isSupportedAlgorithm(value)) {
      throw usageError(`unknown algorithm '${value}' (supported: ${SUPPORTED_ALGORITHMS.join(", ")})`);
    }
    if (!result.includes(value)) result.push(value);
  }
  return result;
}

/** HS256, HS384, HS512: one shared secret both signs and verifies. */
export function isHmacAlgorithm(alg: string): alg is HMACAlgorithm {
  return /^HS(256|384|512)$/.test(alg);
}
