import { formatDuration } from "@sigil/jwt";
import { relativeTime } from "./times.js";

/** A time check a verified token passed only thanks to the clock tolerance. */
export interface ToleratedClaim {
  readonly claim: "exp" | "nbf" | "iat";
  /** "expired 14 s ago", "not valid for another 10 s", "issued 12 s in the future", … */
  readonly message: string;
}

/**
 * The time checks of a token the verifier accepted that a verifier without clock tolerance would
 * refuse. The rules mirror @sigil/jwt's (claim-checks.ts) with a tolerance of zero: the token
 * passed them with `tolerance`, so anything listed here is inside it.
 *
 * @example toleratedClaims({ exp: 1_000 }, 1_014_000, {}) // [{ claim: "exp", message: "expired 14 s ago" }]
 */
export function toleratedClaims(
  payload: Readonly<Record<string, unknown>>,
  nowMs: number,
  options: { maxTokenAge?: number | undefined },
): ToleratedClaim[] {
  const now = Math.floor(nowMs / 1000);
  const found: ToleratedClaim[] = [];
  const { exp, nbf, iat } = payload;
  // RFC 7519 §4.1.4: the current time must be before exp.
  if (typeof exp === "number" && exp <= now) found.push({ claim: "exp", message: relativeTime("exp", exp, nowMs) });
  // §4.1.5: the current time must be at or after nbf.
  if (typeof nbf === "number" && nbf > now) found.push({ claim: "nbf", message: relativeTime("nbf", nbf, nowMs) });
  if (typeof iat === "number") {
    if (iat > now) found.push({ claim: "iat", message: relativeTime("iat", iat, nowMs) });
    const { maxTokenAge } = options;
    if (maxTokenAge !== undefined && now - iat > maxTokenAge) {
      found.push({
        claim: "iat",
        message: `${relativeTime("iat", iat, nowMs)}, past --max-age ${formatDuration(maxTokenAge)}`,
      });
    }
  }
  return found;
}

/**
 * The verdict of `sigil verify` for a token valid only within the tolerance, e.g. "valid (expired
 * 14 s ago, accepted within the 30 s clock tolerance; --clock-tolerance 0 refuses it)".
 */
export function toleranceVerdict(tolerated: readonly ToleratedClaim[], toleranceSeconds: number): string {
  const what = tolerated.map((t) => t.message).join(", ");
  return `valid (${what}, accepted within the ${formatDuration(toleranceSeconds)} clock tolerance; --clock-tolerance 0 refuses it)`;
}
