import type { JWSAlgorithm } from "../types.js";

/** How an algorithm signs: which node:crypto primitive, digest and key it needs (RFC 7518 §3). */
export interface AlgorithmSpec {
  readonly alg: JWSAlgorithm;
  readonly family: "HMAC" | "RSA" | "RSA-PSS" | "ECDSA" | "EdDSA";
  /** Digest for createHmac / crypto.sign, or null for Ed25519 (pure EdDSA). */
  readonly hash: "sha256" | "sha384" | "sha512" | null;
  /** KeyObject type the key must have: "secret", or the asymmetricKeyType. */
  readonly keyType: "secret" | "rsa" | "ec" | "ed25519";
  /** Named curve for ECDSA (node:crypto name), for the key-type check. */
  readonly namedCurve?: "prime256v1" | "secp384r1" | "secp521r1";
  /** JWK curve name for ECDSA / EdDSA. */
  readonly crv?: "P-256" | "P-384" | "P-521" | "Ed25519";
  /** Byte length of one ECDSA coordinate: the raw r||s signature is twice this (RFC 7518 §3.4). */
  readonly ecCoordinateBytes?: number;
  /** Minimum key size in bytes for HMAC secrets (RFC 7518 §3.2: at least the hash size). */
  readonly minSecretBytes?: number;
}

const specs: readonly AlgorithmSpec[] = [
  { alg: "HS256", family: "HMAC", hash: "sha256", keyType: "secret", minSecretBytes: 32 },
  { alg: "HS384", family: "HMAC", hash: "sha384", keyType: "secret", minSecretBytes: 48 },
  { alg: "HS512", family: "HMAC", hash: "sha512", keyType: "secret", minSecretBytes: 64 },
  { alg: "RS256", family: "RSA", hash: "sha256", keyType: "rsa" },
  { alg: "RS384", family: "RSA", hash: "sha384", keyType: "rsa" },
  { alg: "RS512", family: "RSA", hash: "sha512", keyType: "rsa" },
  { alg: "PS256", family: "RSA-PSS", hash: "sha256", keyType: "rsa" },
  { alg: "PS384", family: "RSA-PSS", hash: "sha384", keyType: "rsa" },
  { alg: "PS512", family: "RSA-PSS", hash: "sha512", keyType: "rsa" },
  {
    alg: "ES256",
    family: "ECDSA",
    hash: "sha256",
    keyType: "ec",
    namedCurve: "prime256v1",
    crv: "P-256",
    ecCoordinateBytes: 32,
  },
  {
    alg: "ES384",
    family: "ECDSA",
    hash: "sha384",
    keyType: "ec",
    namedCurve: "secp384r1",
    crv: "P-384",
    ecCoordinateBytes: 48,
  },
  {
    alg: "ES512",
    family: "ECDSA",
    hash: "sha512",
    keyType: "ec",
    namedCurve: "secp521r1",
    crv: "P-521",
    ecCoordinateBytes: 66,
  },
  { alg: "EdDSA", family: "EdDSA", hash: null, keyType: "ed25519", crv: "Ed25519" },
];

/** Every supported algorithm, in a stable order. */
export const SUPPORTED_ALGORITHMS: readonly JWSAlgorithm[] = specs.map((s) => s.alg);

const byName = new Map<string, AlgorithmSpec>(specs.map((s) => [s.alg, s]));

/** The spec of a supported algorithm, or undefined (for `none` and anything unknown). */
export function algorithmSpec(alg: string): AlgorithmSpec | undefined {
  return byName.get(alg);
}

/** Type guard: is this string one of the algorithms Sigil supports? */
export function isSupportedAlgorithm(alg: string): alg is JWSAlgorithm {
  return byName.has(alg);
}

/** Minimum RSA modulus length accepted for signing and verification (RFC 7518 §3.3, NIST SP 800-131A). */
export const MIN_RSA_BITS = 2048;
