import { JWTError } from "../errors/jwt-error.js";
import { type AlgorithmSpec, algorithmSpec } from "../lib/algorithms.js";
import { printable } from "../lib/printable.js";
import type { JWSHeader } from "../types.js";

/** The part of a verifier's configuration that judges a protected header. */
export interface HeaderPolicy {
  /** The allow-list (RFC 8725 §3.1), never containing `none`. */
  readonly algorithms: ReadonlySet<string>;
  /** "only EdDSA is allowed", "only ES256 or EdDSA are allowed": for messages. */
  readonly allowedText: string;
}

/**
 * Checks a parsed protected header against the allow-list, before any key is looked up, and
 * returns the algorithm's spec. The header's `alg` only ever selects among algorithms the
 * caller allowed; `jku`, `x5u`, `jwk` and `x5c` are not read at all (RFC 8725 §3.10).
 */
export function checkHeader(header: JWSHeader, policy: HeaderPolicy): AlgorithmSpec {
  const alg = header.alg;
  if (typeof alg !== "string") throw new JWTError("MALFORMED", "the header has no alg string (RFC 7515 §4.1.1)");
  if (alg.toLowerCase() === "none") {
    // RFC 8725 §3.2: an unsecured JWS is never accepted, whatever the letter case.
    throw new JWTError("ALG_NOT_ALLOWED", `the token is unsigned (alg ${printable(alg)}): never accepted`, {
      alg: "none",
      expected: [...policy.algorithms],
    });
  }
  const spec = policy.algorithms.has(alg) ? algorithmSpec(alg) : undefined;
  if (spec === undefined) {
    // A supported name is safe to show as is; anything else is token-controlled text.
    const known = algorithmSpec(alg) !== undefined;
    const shown = known ? alg : `unsupported alg ${printable(alg)}`;
    throw new JWTError("ALG_NOT_ALLOWED", `signed with ${shown} but ${policy.allowedText}`, {
      alg: known ? alg : printable(alg),
      expected: [...policy.algorithms],
    });
  }
  if (header.crit !== undefined) {
    // RFC 7515 §4.1.11: a recipient MUST reject a JWS whose critical extensions it does not
    // understand; Sigil understands none.
    throw new JWTError("CRIT_UNSUPPORTED", "the header lists critical extensions (crit), which Sigil does not support");
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    // RFC 7797: an unencoded payload changes the signing input; refused even without crit.
    throw new JWTError(
      "CRIT_UNSUPPORTED",
      "the header sets b64 (RFC 7797 unencoded payload), which Sigil does not support",
    );
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    throw new JWTError("MALFORMED", "the header's kid is not a string (RFC 7515 §4.1.4)");
  }
  if (header.typ !== undefined && typeof header.typ !== "string") {
    throw new JWTError("MALFORMED", "the header's typ is not a string (RFC 7515 §4.1.9)");
  }
  return spec;
}

/** "only EdDSA is allowed", "only ES256 or EdDSA are allowed", "only HS256, RS256 or EdDSA are allowed". */
export function describeAllowed(algorithms: readonly string[]): string {
  if (algorithms.length <= 1) return `only ${algorithms.join("")} is allowed`;
  return `only ${algorithms.slice(0, -1).join(", ")} or ${algorithms[algorithms.length - 1]} are allowed`;
}
