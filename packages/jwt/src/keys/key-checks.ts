import type { KeyObject } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import { algorithmSpec, isSupportedAlgorithm, MIN_RSA_BITS } from "../lib/algorithms.js";
import type { JWSAlgorithm } from "../types.js";

const curveToAlgorithm: Readonly<Record<string, JWSAlgorithm>> = {
  prime256v1: "ES256",
  secp384r1: "ES384",
  secp521r1: "ES512",
};

/** Parses an algorithm name given by a caller or a key, refusing `none` and anything unknown. */
export function parseAlgorithm(alg: unknown, source: string): JWSAlgorithm {
  if (typeof alg === "string" && isSupportedAlgorithm(alg)) return alg;
  throw new JWTError(
    "KEY_INVALID",
    `${source} names the algorithm ${JSON.stringify(String(alg))}, which Sigil does not sign or verify with (supported: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, EdDSA)`,
    { actual: String(alg) },
  );
}

/**
 * The one algorithm an asymmetric key can serve, from its type and curve. RSA keys are refused:
 * the same RSA key works for RS* and PS* with any hash, so guessing would pick an algorithm the
 * issuer may not use (RFC 8725 §3.1: algorithms are configured, never guessed).
 */
export function inferAlgorithm(key: KeyObject): JWSAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === "ed25519") return "EdDSA";
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
    const alg = curveToAlgorithm[curve];
    if (alg) return alg;
    throw new JWTError("KEY_INVALID", `the EC key uses the curve ${curve}; Sigil accepts P-256, P-384 and P-521`);
  }
  if (type === "rsa") {
    throw new JWTError(
      "KEY_INVALID",
      "an RSA key does not say which algorithm it signs with (RS256, PS256, ...): pass the algorithm explicitly (alg)",
    );
  }
  if (key.type === "secret") return "HS256";
  throw new JWTError(
    "KEY_INVALID",
    `keys of type ${String(type)} are not supported; use Ed25519, EC P-256/384/521 or RSA`,
  );
}

/**
 * Checks that a key can serve an algorithm: the right type and curve, and RSA >= 2048 bits
 * (RFC 7518 §3.3). This is what stops an RSA public key from being offered as an HMAC secret
 * (the algorithm-confusion attack, RFC 8725 §2.1). HMAC secret strength is checkSecret's job.
 */
export function assertKeyFitsAlgorithm(key: KeyObject, alg: JWSAlgorithm): void {
  const spec = algorithmSpec(alg);
  if (!spec) throw new JWTError("KEY_INVALID", `unsupported algorithm ${alg}`, { alg });
  const actual = key.type === "secret" ? "secret" : (key.asymmetricKeyType ?? "unknown");
  if (actual === "rsa-pss") {
    throw new JWTError(
      "KEY_INVALID",
      "the key is an RSASSA-PSS-only key (id-RSASSA-PSS); JOSE uses plain RSA keys for PS256/384/512: export the key as an ordinary RSA key",
      { alg },
    );
  }
  if (actual !== spec.keyType) {
    throw new JWTError(
      "KEY_INVALID",
      `${alg} needs a ${describeKeyType(spec.keyType)}, but this is a ${describeKeyType(actual)}`,
      {
        alg,
        expected: spec.keyType,
        actual,
      },
    );
  }
  if (spec.namedCurve !== undefined) {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== spec.namedCurve) {
      throw new JWTError("KEY_INVALID", `${alg} needs an EC key on ${spec.crv}, but this key is on ${String(curve)}`, {
        alg,
        expected: spec.crv,
        actual: String(curve),
      });
    }
  }
  if (spec.keyType === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw new JWTError(
        "KEY_INVALID",
        `the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required (RFC 7518 §3.3)`,
        {
          alg,
          actual: bits,
        },
      );
    }
  }
}

function describeKeyType(type: string): string {
  switch (type) {
    case "secret":
      return "HMAC secret";
    case "rsa":
      return "RSA key";
    case "ec":
      return "EC key";
    case "ed25519":
      return "Ed25519 key";
    default:
      return `${type} key`;
  }
}
