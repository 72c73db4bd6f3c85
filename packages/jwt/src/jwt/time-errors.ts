import { JWTError } from "../errors/jwt-error.js";
import { formatDuration, isoTime, serverTime } from "../lib/duration.js";

// The messages an operator reads when a token's times are off (RFC 7519 §4.1.4–4.1.6). They
// carry the numbers that explain the failure; the token itself is never quoted.

/** TOKEN_EXPIRED: "expired 8 h 3 min ago (exp 2026-11-24T09:12:00Z, server time 17:15:03Z)". */
export function expiredError(exp: number, nowMs: number): JWTError {
  const late = Math.floor(nowMs / 1000) - exp;
  return new JWTError("TOKEN_EXPIRED", `expired ${formatDuration(late)} ago ${times("exp", exp, nowMs)}`, {
    claim: "exp",
    actual: exp,
    seconds: late,
  });
}

/** NOT_YET_VALID: "not valid for another 14 min (nbf …, server time …)". */
export function notYetValidError(nbf: number, nowMs: number): JWTError {
  const early = nbf - Math.floor(nowMs / 1000);
  return new JWTError("NOT_YET_VALID", `not valid for another ${formatDuration(early)} ${times("nbf", nbf, nowMs)}`, {
    claim: "nbf",
    actual: nbf,
    seconds: early,
  });
}

/** ISSUED_IN_FUTURE: "issued 8 h in the future: the issuer's clock or timezone is probably wrong (…)". */
export function issuedInFutureError(iat: number, nowMs: number): JWTError {
  const ahead = iat - Math.floor(nowMs / 1000);
  return new JWTError(
    "ISSUED_IN_FUTURE",
    `issued ${formatDuration(ahead)} in the future: the issuer's clock or timezone is probably wrong ${times("iat", iat, nowMs)}`,
    { claim: "iat", actual: iat, seconds: ahead },
  );
}

/** TOKEN_TOO_OLD: "issued 2 h ago, more than the maximum age of 1 h (…)". */
export function tooOldError(iat: number, maxAge: number, nowMs: number): JWTError {
  const age = Math.floor(nowMs / 1000) - iat;
  return new JWTError(
    "TOKEN_TOO_OLD",
    `issued ${formatDuration(age)} ago, more than the maximum age of ${formatDuration(maxAge)} ${times("iat", iat, nowMs)}`,
    { claim: "iat", actual: iat, seconds: age },
  );
}

function times(claim: string, value: number, nowMs: number): string {
  return `(${claim} ${isoTime(value)}, server time ${serverTime(nowMs, value)})`;
}
