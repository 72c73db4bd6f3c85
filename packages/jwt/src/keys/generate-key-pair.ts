import { generateKeyPair as generateKeyPairCallback, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { JWTError } from "../errors/jwt-error.js";
import { algorithmSpec, MIN_RSA_BITS } from "../lib/algorithms.js";
import { publicJWKOf } from "./export-jwk.js";
import type { AsymmetricAlgorithm, KeyPair } from "./key-pair.js";
import { jwkThumbprint } from "./thumbprint.js";

const generate = promisify(generateKeyPairCallback);
const MAX_RSA_BITS = 16384;

/** Options of {@link generateKeyPair}. */
export interface GenerateKeyPairOptions {
  /** Default: the RFC 7638 thumbprint of the public JWK. */
  kid?: string;
  /** RSA only: modulus length in bits, >= 2048 (default 2048). */
  modulusLength?: number;
}

/**
 * Generates a key pair for an asymmetric algorithm: Ed25519 for EdDSA (the default: small, fast,
 * deterministic signatures), P-256/384/521 for ES*, RSA for RS* and PS*. Asynchronous so that
 * RSA generation runs off the event loop.
 *
 * @example
 * const pair = await generateKeyPair("ES256");
 * const token = signJWT({ sub: "u1" }, pair.signing, { expiresIn: 900 });
 */
export async function generateKeyPair(
  alg: AsymmetricAlgorithm = "EdDSA",
  options: GenerateKeyPairOptions = {},
): Promise<KeyPair> {
  const spec = algorithmSpec(alg);
  if (!spec || spec.keyType === "secret") {
    throw new JWTError(
      "OPTIONS_INVALID",
      `cannot generate a key pair for ${JSON.stringify(String(alg))}: use EdDSA, ES256/384/512, RS256/384/512 or PS256/384/512 (for HS*, use generateSecret)`,
      { option: "alg", actual: String(alg) },
    );
  }
  if (options.modulusLength !== undefined && spec.keyType !== "rsa") {
    throw new JWTError("OPTIONS_INVALID", `modulusLength applies to RSA keys only, not ${alg}`, {
      option: "modulusLength",
    });
  }
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  if (spec.keyType === "ed25519") {
    pair = await generate("ed25519");
  } else if (spec.keyType === "ec") {
    pair = await generate("ec", { namedCurve: spec.namedCurve ?? "" });
  } else {
    const bits = options.modulusLength ?? MIN_RSA_BITS;
    if (!Number.isInteger(bits) || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new JWTError(
        "OPTIONS_INVALID",
        `modulusLength must be an integer from ${MIN_RSA_BITS} to ${MAX_RSA_BITS} (got ${String(bits)}): shorter RSA keys are breakable (RFC 7518 §3.3)`,
        { option: "modulusLength", actual: bits },
      );
    }
    pair = await generate("rsa", { modulusLength: bits, publicExponent: 0x10001 });
  }
  const { publicKey, privateKey } = pair;
  const kid = options.kid ?? jwkThumbprint(publicJWKOf(publicKey));
  return Object.freeze({
    kid,
    alg,
    privateKey,
    publicKey,
    signing: Object.freeze({ kid, alg, key: privateKey }),
    verification: Object.freeze({ kid, alg, key: publicKey }),
  });
}
