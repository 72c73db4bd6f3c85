import { isJWTError, JWTError } from "../errors/jwt-error.js";
import { importJWK } from "../keys/import-jwk.js";
import { staticKeySet } from "../keys/static-key-set.js";
import { algorithmSpec, isSupportedAlgorithm } from "../lib/algorithms.js";
import type { JWK, JWKS, JWSAlgorithm, VerificationKey, VerificationKeySet } from "../types.js";

/** A JWKS member that was not turned into a key, and why (for `sigil verify --jwks` diagnostics). */
export interface SkippedJWK {
  /** Position in the `keys` array. */
  readonly index: number;
  readonly kid?: string;
  readonly reason: string;
}

/** The verification keys of a JWKS document, with the members that were left out. */
export interface JWKSKeySet extends VerificationKeySet {
  readonly keys: readonly VerificationKey[];
  readonly skipped: readonly SkippedJWK[];
}

/** Options of {@link jwksKeySet}. */
export interface JWKSKeySetOptions {
  /** Only keys for these algorithms are kept; also lets RSA keys without `alg` be used with them. */
  algorithms?: readonly JWSAlgorithm[];
}

/** Public members only: a private member in a published JWKS is a leak, never something to use. */
const publicMembers = ["kty", "kid", "alg", "use", "key_ops", "crv", "x", "y", "n", "e"] as const;

/**
 * Verification keys from a JWKS document (RFC 7517 §5) or its JSON text. Keys are skipped, with
 * the reason in `skipped`, when `use` is not "sig", the kty or curve is unknown, the key is a
 * symmetric `oct` secret (a secret in a public document is a leak, and accepting one would let
 * whoever serves the JWKS choose the HMAC key), the algorithm is unknown or not allowed, or an
 * RSA key has no `alg` and no RSA algorithm is allowed. An RSA key without `alg` yields one key
 * per allowed RS* or PS* algorithm.
 *
 * @throws JWTError KEY_INVALID when the document is not a JWKS at all.
 * @example
 * const keys = jwksKeySet(await readFile("jwks.json", "utf8"), { algorithms: ["EdDSA"] });
 * const verify = createVerifier({ algorithms: ["EdDSA"], keys });
 */
export function jwksKeySet(jwks: JWKS | string, options: JWKSKeySetOptions = {}): JWKSKeySet {
  const document = parseDocument(jwks);
  const allowed = options.algorithms === undefined ? undefined : new Set<string>(options.algorithms);
  const keys: VerificationKey[] = [];
  const skipped: SkippedJWK[] = [];
  for (const [index, member] of document.keys.entries()) {
    const kid = typeof member === "object" && member !== null ? (member as JWK).kid : undefined;
    const skip = (reason: string, keyKid: unknown = kid): void => {
      skipped.push(Object.freeze(typeof keyKid === "string" ? { index, kid: keyKid, reason } : { index, reason }));
    };
    const plan = planMember(member, options.algorithms);
    if (typeof plan === "string") {
      skip(plan);
      continue;
    }
    for (const alg of plan.candidates) {
      try {
        const key = importJWK(plan.jwk, alg === undefined ? {} : { alg });
        if (allowed !== undefined && !allowed.has(key.alg))
          skip(`${key.alg} is not in the allowed algorithms`, key.kid);
        else keys.push(key);
      } catch (error) {
        if (!isJWTError(error)) throw error;
        skip(error.message);
      }
    }
  }
  const set = staticKeySet(keys);
  return Object.freeze({
    get version() {
      return set.version;
    },
    find: set.find,
    keys: Object.freeze(keys),
    skipped: Object.freeze(skipped),
  });
}

/** The public JWK and the algorithms to import it for, or why the member is skipped. */
function planMember(
  member: unknown,
  algorithms: readonly JWSAlgorithm[] | undefined,
): string | { jwk: JWK; candidates: readonly (JWSAlgorithm | undefined)[] } {
  if (typeof member !== "object" || member === null || Array.isArray(member)) return "not a JSON object";
  const source = member as JWK;
  if (source.use !== undefined && source.use !== "sig") return `use is ${JSON.stringify(source.use)}, not "sig"`;
  if (source.kty === "oct") return "symmetric (oct) keys are never taken from a JWKS";
  if (source.kty !== "RSA" && source.kty !== "EC" && source.kty !== "OKP")
    return `unknown kty ${JSON.stringify(source.kty)}`;
  if (source.alg !== undefined && (typeof source.alg !== "string" || !isSupportedAlgorithm(source.alg))) {
    return `unsupported alg ${JSON.stringify(source.alg)}`;
  }
  let candidates: readonly (JWSAlgorithm | undefined)[] = [source.alg];
  if (source.alg === undefined && source.kty === "RSA") {
    candidates = (algorithms ?? []).filter((alg) => algorithmSpec(alg)?.keyType === "rsa");
    if (candidates.length === 0) return "an RSA key without alg needs an RSA algorithm in `algorithms` to be used";
  }
  // Copy public members only, so a private member leaked into the document is never used.
  const jwk: Record<string, unknown> = {};
  for (const name of publicMembers) if (name !== "alg" && source[name] !== undefined) jwk[name] = source[name];
  return { jwk: jwk as JWK, candidates };
}

function parseDocument(input: JWKS | string): { keys: unknown[] } {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw new JWTError("KEY_INVALID", "the JWKS is not valid JSON");
    }
  }
  const keys = typeof value === "object" && value !== null ? (value as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) {
    throw new JWTError("KEY_INVALID", 'the JWKS is not an object with a "keys" array (RFC 7517 §5)');
  }
  return { keys };
}
