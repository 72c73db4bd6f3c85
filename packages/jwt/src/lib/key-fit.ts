import type { KeyObject } from "node:crypto";
import { type AlgorithmSpec, MIN_RSA_BITS } from "./algorithms.js";

/**
 * Why a key cannot be used with an algorithm, or undefined when it can. This is the defence
 * against algorithm confusion (RFC 8725 §2.1, §3.1): an HMAC secret must be a `secret`
 * KeyObject, so an RSA, EC or Ed25519 public key — in whatever form it was loaded — can never
 * become an HMAC key; and each asymmetric algorithm gets only its own key type and curve.
 */
export function keyMismatch(key: KeyObject, spec: AlgorithmSpec, purpose: "sign" | "verify"): string | undefined {
  if (spec.keyType === "secret") {
    return key.type === "secret" ? undefined : `${spec.alg} needs an HMAC secret, not a ${key.type} key`;
  }
  if (key.type === "secret") return `${spec.alg} needs ${article(spec.keyType)} key, not an HMAC secret`;
  if (purpose === "sign" && key.type !== "private") return `signing with ${spec.alg} needs a private key`;
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  switch (spec.keyType) {
    case "rsa": {
      // RSA-PSS-restricted keys (RFC 4055) are fine for PS*, never for RS*.
      const fits = type === "rsa" || (type === "rsa-pss" && spec.family === "RSA-PSS");
      if (!fits) return `${spec.alg} needs an RSA key, not ${article(type ?? "unknown")} key`;
      const bits = details?.modulusLength ?? 0;
      // RFC 7518 §3.3 / §3.5: keys of 2048 bits or larger MUST be used.
      return bits >= MIN_RSA_BITS
        ? undefined
        : `${spec.alg} needs an RSA key of at least ${MIN_RSA_BITS} bits, not ${bits}`;
    }
    case "ec":
      if (type !== "ec") return `${spec.alg} needs an EC key, not ${article(type ?? "unknown")} key`;
      // RFC 7518 §3.4: each ES* algorithm is bound to one curve.
      return details?.namedCurve === spec.namedCurve
        ? undefined
        : `${spec.alg} needs a ${spec.crv} key, not one on ${details?.namedCurve ?? "an unknown curve"}`;
    case "ed25519":
      return type === "ed25519" ? undefined : `${spec.alg} needs an Ed25519 key, not ${article(type ?? "unknown")} key`;
  }
}

const NAMES: Readonly<Record<string, string>> = {
  rsa: "an RSA",
  "rsa-pss": "an RSA-PSS",
  ec: "an EC",
  ed25519: "an Ed25519",
  ed448: "an Ed448",
  x25519: "an X25519",
  x448: "an X448",
  dsa: "a DSA",
  dh: "a DH",
};

/** "an RSA", "an EC", … for messages. */
function article(type: string): string {
  return NAMES[type] ?? `a ${type}`;
}
