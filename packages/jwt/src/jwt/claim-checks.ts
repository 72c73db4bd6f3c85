import { JWTError } from "../errors/jwt-error.js";
import { printable } from "../lib/printable.js";
import type { JWTPayload } from "../types.js";
import type { VerifierConfig } from "./resolve-options.js";
import { expiredError, issuedInFutureError, notYetValidError, tooOldError } from "./time-errors.js";

/** The claims the clock-dependent checks read. */
export type TimeClaims = Pick<JWTPayload, "exp" | "nbf" | "iat">;

/** The claim checks of one verifier, built once from its options (RFC 7519 §4.1, RFC 8725 §3.8–3.9). */
export interface ClaimChecks {
  /** Every claim rule; for a token whose signature was just checked. */
  readonly all: (payload: JWTPayload, nowMs: number) => void;
  /**
   * Only the rules that depend on the clock, for a cached token: the others gave the same
   * answer when it was cached, since they depend on the token and the options alone.
   */
  readonly times: (payload: TimeClaims, nowMs: number) => void;
}

/** Builds the claim checks for a verifier configuration. */
export function compileClaimChecks(config: VerifierConfig): ClaimChecks {
  const { clockTolerance: tolerance, maxTokenAge, requireExpiry, issuer, subject, audience } = config;
  const required = [...config.requiredClaims];
  if (requireExpiry && !required.includes("exp")) required.unshift("exp");
  if (maxTokenAge !== undefined && !required.includes("iat")) required.push("iat");
  if (issuer !== undefined && !required.includes("iss")) required.push("iss");
  if (subject !== undefined && !required.includes("sub")) required.push("sub");
  if (audience !== undefined && !required.includes("aud")) required.push("aud");

  function times(payload: TimeClaims, nowMs: number): void {
    const now = Math.floor(nowMs / 1000);
    const { exp, nbf, iat } = payload;
    // RFC 7519 §4.1.4: the current time MUST be before exp (with some leeway for skew).
    if (exp !== undefined && exp <= now - tolerance) throw expiredError(exp, nowMs);
    if (nbf !== undefined && nbf > now + tolerance) throw notYetValidError(nbf, nowMs);
    if (iat !== undefined) {
      if (iat > now + tolerance) throw issuedInFutureError(iat, nowMs);
      if (maxTokenAge !== undefined && now - iat > maxTokenAge + tolerance) throw tooOldError(iat, maxTokenAge, nowMs);
    }
  }

  function all(payload: JWTPayload, nowMs: number): void {
    checkTypes(payload);
    for (const claim of required) {
      if (payload[claim] === undefined) throw missing(claim);
    }
    times(payload, nowMs);
    if (issuer !== undefined && !issuer.includes(payload.iss!)) {
      throw mismatch("iss", `iss ${printable(payload.iss, 80)} is not the expected issuer`, issuer);
    }
    if (subject !== undefined && payload.sub !== subject) {
      throw mismatch("sub", "sub is not the expected subject", subject);
    }
    if (audience !== undefined && !intersects(payload.aud!, audience)) {
      throw mismatch("aud", "the token is not meant for this audience (aud)", audience);
    }
  }

  return { all, times };
}

/** RFC 7519 §2 NumericDate, §4.1: type checks for the registered claims that are present. */
function checkTypes(payload: JWTPayload): void {
  const { exp, nbf, iat, iss, sub, aud, jti } = payload;
  if (exp !== undefined && !isNumericDate(exp)) throw notNumericDate("exp", exp);
  if (nbf !== undefined && !isNumericDate(nbf)) throw notNumericDate("nbf", nbf);
  if (iat !== undefined && !isNumericDate(iat)) throw notNumericDate("iat", iat);
  if (iss !== undefined && typeof iss !== "string") throw notString("iss");
  if (sub !== undefined && typeof sub !== "string") throw notString("sub");
  if (jti !== undefined && typeof jti !== "string") throw notString("jti");
  if (aud !== undefined && typeof aud !== "string") {
    // RFC 7519 §4.1.3: a string or an array of strings; one non-string member spoils it all.
    let ok = Array.isArray(aud);
    if (ok) for (const item of aud as unknown[]) ok &&= typeof item === "string";
    if (!ok)
      throw new JWTError("CLAIM_INVALID", "the aud claim must be a string or an array of strings", { claim: "aud" });
  }
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function intersects(aud: string | string[], expected: readonly string[]): boolean {
  if (typeof aud === "string") return expected.includes(aud);
  for (const item of aud) if (expected.includes(item)) return true;
  return false;
}

function notNumericDate(claim: string, value: unknown): JWTError {
  const shown = typeof value === "number" ? String(value) : `a ${value === null ? "null" : typeof value}`;
  return new JWTError("CLAIM_INVALID", `the ${claim} claim must be a NumericDate (seconds since 1970), not ${shown}`, {
    claim,
  });
}

function notString(claim: string): JWTError {
  return new JWTError("CLAIM_INVALID", `the ${claim} claim must be a string`, { claim });
}

function missing(claim: string): JWTError {
  const why =
    claim === "exp"
      ? "the token has no exp claim: this verifier refuses tokens that never expire (see requireExpiry)"
      : `the token has no ${claim} claim, which this verifier requires`;
  return new JWTError("CLAIM_MISSING", why, { claim });
}

function mismatch(claim: string, message: string, expected: string | readonly string[]): JWTError {
  const shown = typeof expected === "string" ? expected : expected.join(", ");
  return new JWTError("CLAIM_MISMATCH", `${message} (expected ${shown})`, { claim, expected });
}
