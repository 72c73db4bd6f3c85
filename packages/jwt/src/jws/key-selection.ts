import { JWTError } from "../errors/jwt-error.js";
import { printable } from "../lib/printable.js";
import type { VerificationKey, VerificationKeySet } from "../types.js";
import { type PreparedVerificationKey, prepareVerificationKey } from "./prepared-key.js";

/** A key that may check this token's signature. */
export type CandidateKey = Extract<PreparedVerificationKey, { usable: true }>;

/**
 * The held keys that may verify a token with this `alg` and `kid` (RFC 8725 §3.10: `kid` only
 * selects among keys the verifier already holds). A key is a candidate only when its own `alg`
 * is the token's and its type fits that alg, so a key can never be used with an algorithm it
 * was not configured for (RFC 8725 §3.1: one key, one algorithm).
 *
 * Throws KEY_NOT_FOUND when nothing is held for the kid (or, without a kid, for the alg), and
 * KEY_ALG_MISMATCH when the kid names keys that cannot be used with this alg.
 */
export function selectKeys(keySet: VerificationKeySet, alg: string, kid: string | undefined): CandidateKey[] {
  const held = keySet.find(kid);
  const candidates: CandidateKey[] = [];
  let misfit: string | undefined;
  for (const key of held) {
    if (key.alg !== alg) continue;
    const prepared = prepareVerificationKey(key);
    if (prepared.usable) candidates.push(prepared);
    else misfit ??= prepared.reason;
  }
  if (candidates.length > 0) return candidates;
  if (misfit !== undefined) {
    throw new JWTError(
      "KEY_ALG_MISMATCH",
      `the key for ${alg}${kidText(kid)} cannot be used: ${misfit}`,
      details(alg, kid),
    );
  }
  if (kid === undefined) {
    throw new JWTError("KEY_NOT_FOUND", `no key is held for ${alg} (the token has no kid)`, { alg });
  }
  if (held.length === 0) {
    throw new JWTError("KEY_NOT_FOUND", `no key is held with kid ${printable(kid, 64)}`, details(alg, kid));
  }
  throw new JWTError(
    "KEY_ALG_MISMATCH",
    `the token is signed with ${alg} but key ${printable(kid, 64)} is for ${describeAlgs(held)}`,
    details(alg, kid),
  );
}

function kidText(kid: string | undefined): string {
  return kid === undefined ? "" : ` (kid ${printable(kid, 64)})`;
}

function details(alg: string, kid: string | undefined): { alg: string; kid?: string } {
  return kid === undefined ? { alg } : { alg, kid: printable(kid, 64) };
}

function describeAlgs(keys: readonly VerificationKey[]): string {
  return [...new Set(keys.map((key) => String(key.alg)))].join(", ");
}
