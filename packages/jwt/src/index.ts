// Public API of @sigil/jwt. This file only re-exports; internals live in lib/.

export { type ClientTokenError, toClientError } from "./errors/client-error.js";
export { JWT_ERRORS, type JWTErrorCode } from "./errors/codes.js";
export { isJWTError, JWTError, type JWTErrorDetails } from "./errors/jwt-error.js";
export { type JWKSKeySet, type JWKSKeySetOptions, jwksKeySet, type SkippedJWK } from "./jwks/jwks-key-set.js";
export { createVerifier } from "./jwt/create-verifier.js";
export { type DecodedJWT, type DecodeOptions, decodeJWT } from "./jwt/decode-jwt.js";
export { DEFAULT_CLOCK_TOLERANCE } from "./jwt/resolve-options.js";
export { type SignOptions, signJWT } from "./jwt/sign-jwt.js";
export type { VerifiedToken, Verifier, VerifierOptions } from "./jwt/verifier-options.js";
export { checkSecret, type SecretWeakness } from "./keys/check-secret.js";
export { type CreateSecretKeyOptions, createSecretKey, type HMACAlgorithm } from "./keys/create-secret-key.js";
export { type ExportJWKOptions, exportJWK } from "./keys/export-jwk.js";
export { type GenerateKeyPairOptions, generateKeyPair } from "./keys/generate-key-pair.js";
export { generateSecret } from "./keys/generate-secret.js";
export { type ImportJWKOptions, importJWK } from "./keys/import-jwk.js";
export type { AsymmetricAlgorithm, KeyPair } from "./keys/key-pair.js";
export { KeyRing, type KeyRingEntry, type RotateOptions } from "./keys/key-ring.js";
export { exportPEM, type ImportPEMOptions, importPEM } from "./keys/pem.js";
export { publicKeyOf } from "./keys/public-key-of.js";
export { staticKeySet } from "./keys/static-key-set.js";
export { jwkThumbprint } from "./keys/thumbprint.js";
export { isSupportedAlgorithm, SUPPORTED_ALGORITHMS } from "./lib/algorithms.js";
export { describeTime, formatDuration } from "./lib/duration.js";
export type * from "./types.js";
