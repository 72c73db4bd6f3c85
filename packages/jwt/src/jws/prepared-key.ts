import { KeyObject } from "node:crypto";
import type { JWTErrorCode } from "../errors/codes.js";
import { algorithmSpec } from "../lib/algorithms.js";
import { keyMismatch } from "../lib/key-fit.js";
import { printable } from "../lib/printable.js";
import type { SigningKey, VerificationKey } from "../types.js";
import { createSignatureCheck, createSignatureMaker, type SignatureCheck, type SignatureMaker } from "./signature.js";

/** A verification key checked once against its own `alg`, with its signature check built. */
export type PreparedVerificationKey =
  | { readonly source: VerificationKey; readonly usable: true; readonly check: SignatureCheck }
  | { readonly source: VerificationKey; readonly usable: false; readonly reason: string };

/** A signing key checked once, with its signer built; or why it cannot sign. */
export type PreparedSigningKey =
  | { readonly usable: true; readonly sign: SignatureMaker }
  | { readonly usable: false; readonly reason: string; readonly code: JWTErrorCode };

// Keyed by the key object itself: a key ring hands out the same objects until it changes, so
// the type checks and the public-key derivation run once per key, not once per token.
const verificationKeys = new WeakMap<VerificationKey, PreparedVerificationKey & { alg: string; key: KeyObject }>();
const signingKeys = new WeakMap<SigningKey, PreparedSigningKey & { alg: string; key: KeyObject }>();

/** The prepared form of a verification key (cached per key object; rebuilt if its fields change). */
export function prepareVerificationKey(source: VerificationKey): PreparedVerificationKey {
  const cached = verificationKeys.get(source);
  if (cached !== undefined && cached.alg === source.alg && cached.key === source.key) return cached;
  const prepared = { ...buildVerificationKey(source), alg: source.alg, key: source.key };
  verificationKeys.set(source, prepared);
  return prepared;
}

function buildVerificationKey(source: VerificationKey): PreparedVerificationKey {
  const spec = algorithmSpec(source.alg);
  if (spec === undefined) return { source, usable: false, reason: `key alg ${printable(source.alg)} is not supported` };
  if (!(source.key instanceof KeyObject))
    return { source, usable: false, reason: "key is not a node:crypto KeyObject" };
  const reason = keyMismatch(source.key, spec, "verify");
  if (reason !== undefined) return { source, usable: false, reason };
  return { source, usable: true, check: createSignatureCheck(spec, source.key) };
}

/** The prepared form of a signing key (cached per key object; rebuilt if its fields change). */
export function prepareSigningKey(source: SigningKey): PreparedSigningKey {
  const cached = signingKeys.get(source);
  if (cached !== undefined && cached.alg === source.alg && cached.key === source.key) return cached;
  const prepared = { ...buildSigningKey(source), alg: source.alg, key: source.key };
  signingKeys.set(source, prepared);
  return prepared;
}

function buildSigningKey(source: SigningKey): PreparedSigningKey {
  const alg: unknown = source.alg;
  if (typeof alg === "string" && alg.toLowerCase() === "none") {
    // RFC 8725 §3.2: Sigil never issues unsecured JWSs.
    const reason = "refusing to sign with alg none: Sigil never issues unsigned tokens";
    return { usable: false, reason, code: "ALG_NOT_ALLOWED" };
  }
  const spec = algorithmSpec(source.alg);
  if (spec === undefined) {
    return {
      usable: false,
      reason: `cannot sign with ${printable(source.alg)}: not a supported algorithm`,
      code: "ALG_NOT_ALLOWED",
    };
  }
  if (!(source.key instanceof KeyObject)) {
    return { usable: false, reason: "the signing key is not a node:crypto KeyObject", code: "KEY_INVALID" };
  }
  const reason = keyMismatch(source.key, spec, "sign");
  if (reason !== undefined) return { usable: false, reason, code: "KEY_ALG_MISMATCH" };
  const minimum = spec.minSecretBytes ?? 0;
  const size = source.key.symmetricKeySize ?? 0;
  if (spec.keyType === "secret" && size < minimum) {
    // RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used.
    return {
      usable: false,
      reason: `${spec.alg} needs a secret of at least ${minimum} bytes, not ${size}`,
      code: "WEAK_SECRET",
    };
  }
  return { usable: true, sign: createSignatureMaker(spec, source.key) };
}
