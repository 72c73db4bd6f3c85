import {
  constants,
  createHmac,
  createPublicKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  type VerifyKeyObjectInput,
  verify,
} from "node:crypto";
import type { AlgorithmSpec } from "../lib/algorithms.js";

/** Checks a signature over a JWS signing input (ASCII `header.payload`). */
export type SignatureCheck = (signingInput: string, signature: Buffer) => boolean;
/** Produces the signature of a JWS signing input, base64url-encoded (RFC 7515 §7.1). */
export type SignatureMaker = (signingInput: string) => string;

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

/**
 * The signature check for one key and algorithm, built once per key so that the per-token work
 * is the crypto call alone. The caller has already checked the key with `keyMismatch`.
 */
export function createSignatureCheck(spec: AlgorithmSpec, key: KeyObject): SignatureCheck {
  const hash = spec.hash;
  if (spec.family === "HMAC") {
    const algorithm = hash!;
    const length = HASH_BYTES[algorithm];
    // RFC 7515 §10.7 / RFC 8725 §3.5: compare MACs in constant time; the length is public.
    return (input, signature) =>
      signature.length === length && timingSafeEqual(createHmac(algorithm, key).update(input).digest(), signature);
  }
  // A private key also verifies, but deriving its public half on every call costs time.
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const input = verifyInput(spec, publicKey);
  const length = expectedSignatureLength(spec, publicKey);
  return (signingInput, signature) => {
    if (signature.length !== length) return false;
    try {
      return verify(hash, Buffer.from(signingInput), input, signature);
    } catch {
      // OpenSSL refuses some malformed signatures by throwing rather than returning false.
      return false;
    }
  };
}

/** The signer for one private key (or secret) and algorithm. */
export function createSignatureMaker(spec: AlgorithmSpec, key: KeyObject): SignatureMaker {
  const hash = spec.hash;
  if (spec.family === "HMAC") {
    const algorithm = hash!;
    return (input) => createHmac(algorithm, key).update(input).digest("base64url");
  }
  const input = verifyInput(spec, key);
  return (signingInput) => sign(hash, Buffer.from(signingInput), input).toString("base64url");
}

function verifyInput(spec: AlgorithmSpec, key: KeyObject): VerifyKeyObjectInput | KeyObject {
  switch (spec.family) {
    case "ECDSA":
      // RFC 7518 §3.4: the JWS signature is R || S, not DER.
      return { key, dsaEncoding: "ieee-p1363" };
    case "RSA-PSS":
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[spec.hash!] };
    default:
      // RS* (RFC 7518 §3.3): PKCS #1 v1.5 is node's default for an RSA key, so the KeyObject
      // goes in bare — an options object costs a property walk per call in node:crypto.
      // Ed25519 (RFC 8037 §3.1) takes no digest and no options.
      return key;
  }
}

/** Exact signature size: a wrong length is refused before any crypto. */
function expectedSignatureLength(spec: AlgorithmSpec, publicKey: KeyObject): number {
  if (spec.family === "ECDSA") return 2 * spec.ecCoordinateBytes!;
  if (spec.family === "EdDSA") return 64;
  // RFC 8017 §8.1.2 / §8.2.2: an RSA signature is exactly as long as the modulus.
  return Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}
