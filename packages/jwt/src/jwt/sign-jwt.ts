import { JWTError } from "../errors/jwt-error.js";
import { signEncoded } from "../jws/sign-jws.js";
import { encodeBase64url } from "../lib/base64url.js";
import { randomId } from "../lib/random-id.js";
import type { JWSHeader, JWTPayload, SigningKey } from "../types.js";

/** Options of {@link signJWT}. */
export interface SignOptions {
  /** Lifetime in seconds: sets `exp` = `iat` + expiresIn. */
  readonly expiresIn?: number;
  /** The `typ` header (RFC 7519 §5.1, RFC 9068 §2.1 "at+jwt"). Default "JWT". */
  readonly typ?: string;
  /** The `jti` claim. Default: the payload's, else 128 random bits in base64url. */
  readonly jti?: string;
  /** Seconds after `iat` before which the token is not valid: sets `nbf` = `iat` + notBefore. */
  readonly notBefore?: number;
  /** The clock in milliseconds since 1970. Default Date.now. */
  readonly now?: () => number;
  /** Extra header parameters; the ones Sigil sets or never trusts are refused. */
  readonly header?: Readonly<Record<string, unknown>>;
}

/** Header parameters that signJWT sets itself, or that a verifier must never rely on (RFC 8725 §3.10). */
const RESERVED_HEADER = new Set([
  "alg",
  "kid",
  "typ",
  "crit",
  "b64",
  "jku",
  "jwk",
  "x5u",
  "x5c",
  "x5t",
  "x5t#S256",
  "enc",
  "zip",
]);

/**
 * Signs a JWT (RFC 7519 §7.1) as a compact JWS with the key's algorithm, setting `iat` (unless
 * the payload has one), `jti` (always), `exp` and `nbf` from the options, and the `alg`, `typ`
 * and `kid` headers. Refuses `none` and unknown algorithms, a key that does not fit its
 * algorithm (KEY_ALG_MISMATCH) and an HMAC secret shorter than the hash (WEAK_SECRET).
 *
 * @example
 * const token = signJWT({ sub: "user-1", aud: "api" }, signingKey, { expiresIn: 900 });
 */
export function signJWT(payload: JWTPayload, key: SigningKey, options: SignOptions = {}): string {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new JWTError("CLAIM_INVALID", "the payload must be a JSON object");
  }
  if (typeof key !== "object" || key === null) throw new JWTError("KEY_INVALID", "no signing key was given");
  const nowMs = (options.now ?? Date.now)();
  const iat = payload.iat ?? Math.floor(nowMs / 1000);
  const claims: JWTPayload = { ...payload, iat };
  if (options.expiresIn !== undefined) claims.exp = iat + positive(options.expiresIn, "expiresIn");
  if (options.notBefore !== undefined) claims.nbf = iat + finite(options.notBefore, "notBefore");
  claims.jti = options.jti ?? payload.jti ?? randomId();
  checkNumericDate(claims.iat, "iat");
  checkNumericDate(claims.exp, "exp");
  checkNumericDate(claims.nbf, "nbf");
  let json: string;
  try {
    json = JSON.stringify(claims);
  } catch {
    throw new JWTError("CLAIM_INVALID", "the payload is not JSON-serialisable");
  }
  return signEncoded(headerSegment(key, options), json, key);
}

// The header of a key's tokens rarely changes: its encoding is kept per key and typ.
const headerSegments = new WeakMap<SigningKey, Map<string, { segment: string; alg: string; kid: string }>>();

function headerSegment(key: SigningKey, options: SignOptions): string {
  const typ = options.typ ?? "JWT";
  if (typeof typ !== "string" || typ === "") invalidOption("typ", "must be a non-empty string");
  const extra = options.header;
  if (extra === undefined) {
    const cached = headerSegments.get(key)?.get(typ);
    if (cached !== undefined && cached.alg === key.alg && cached.kid === key.kid) return cached.segment;
  }
  const header: JWSHeader = { alg: key.alg, typ };
  if (typeof key.kid === "string" && key.kid !== "") header.kid = key.kid;
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (RESERVED_HEADER.has(name)) invalidOption(`header.${name}`, "is set by Sigil or not allowed");
    header[name] = value;
  }
  const segment = encodeBase64url(JSON.stringify(header));
  if (extra === undefined) {
    let byTyp = headerSegments.get(key);
    if (byTyp === undefined) {
      byTyp = new Map();
      headerSegments.set(key, byTyp);
    }
    if (byTyp.size < 16) byTyp.set(typ, { segment, alg: key.alg, kid: key.kid });
  }
  return segment;
}

/** RFC 7519 §2: a NumericDate is a JSON number; NaN and Infinity do not serialise as one. */
function checkNumericDate(value: unknown, claim: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
    throw new JWTError("CLAIM_INVALID", `the ${claim} claim must be a NumericDate (seconds since 1970)`, { claim });
  }
}

function positive(value: number, option: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) invalidOption(option, "must be seconds > 0");
  return value;
}

function finite(value: number, option: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) invalidOption(option, "must be a number of seconds");
  return value;
}

function invalidOption(option: string, problem: string): never {
  throw new JWTError("OPTIONS_INVALID", `${option} ${problem}`, { option });
}
