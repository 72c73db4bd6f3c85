import type { KeyObject } from "node:crypto";

/** JWS algorithms Sigil signs and verifies (RFC 7518 §3, RFC 8037 §3.1). `none` is deliberately absent. */
export type JWSAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA";

/** A JSON Web Key (RFC 7517 §4). Only the members Sigil reads are typed. */
export interface JWK {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  k?: string;
  d?: string;
  [member: string]: unknown;
}

/** A JWK Set (RFC 7517 §5). */
export interface JWKS {
  keys: JWK[];
}

/** The protected header of a JWS (RFC 7515 §4). */
export interface JWSHeader {
  alg: string;
  typ?: string;
  kid?: string;
  crit?: string[];
  [parameter: string]: unknown;
}

/** JWT claims (RFC 7519 §4). */
export interface JWTPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** A key that can check signatures: an HMAC secret or an asymmetric public (or private) key. */
export interface VerificationKey {
  readonly kid: string;
  readonly alg: JWSAlgorithm;
  readonly key: KeyObject;
}

/** A key that can produce signatures: an HMAC secret or an asymmetric private key. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: JWSAlgorithm;
  readonly key: KeyObject;
}

/**
 * The keys a verifier may use. A key is only ever selected from this set — never from a
 * token header (`jku`, `x5u`, `jwk`, `x5c` are ignored; RFC 8725 §3.10).
 */
export interface VerificationKeySet {
  /** Changes whenever the set changes; verified-token caches are dropped when it does. */
  readonly version: number;
  /** The keys for this `kid`, or every key when the token names none. Empty when unknown. */
  find(kid: string | undefined): readonly VerificationKey[];
}
