import type { VerificationKey, VerificationKeySet } from "../types.js";

/** A fixed set of verification keys (keys configured by hand, or a JWKS read once). */
export function staticKeySet(keys: readonly VerificationKey[]): VerificationKeySet {
  const all = Object.freeze([...keys]);
  const byKid = new Map<string, VerificationKey[]>();
  for (const key of all) {
    const list = byKid.get(key.kid);
    if (list) list.push(key);
    else byKid.set(key.kid, [key]);
  }
  const none: readonly VerificationKey[] = Object.freeze([]);
  return {
    version: 0,
    find(kid) {
      return kid === undefined ? all : (byKid.get(kid) ?? none);
    },
  };
}
