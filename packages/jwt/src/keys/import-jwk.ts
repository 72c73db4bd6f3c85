import { Buffer } from "node:buffer";
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { JWTError } from "../errors/jwt-error.js";
import { algorithmSpec } from "../lib/algorithms.js";
import type { JWK, JWSAlgorithm, SigningKey, VerificationKey } from "../types.js";
import { createSecretKey, type HMACAlgorithm } from "./create-secret-key.js";
import { assertKeyFitsAlgorithm, parseAlgorithm } from "./key-checks.js";
import { jwkThumbprint } from "./thumbprint.js";

/** Options of {@link importJWK}. */
export interface ImportJWKOptions {
  /** The algorithm the key serves. Must agree with the JWK's `alg` when both are present. */
  alg?: JWSAlgorithm;
  /** Used when the JWK has no `kid`; must agree with it otherwise. Default: the RFC 7638 thumbprint. */
  kid?: string;
  /** For `oct` keys: accept a weak HMAC secret (see createSecretKey). */
  allowWeak?: boolean;
}

const curveAlgorithm: Readonly<Record<string, JWSAlgorithm>> = {
  "P-256": "ES256",
  "P-384": "ES384",
  "P-521": "ES512",
  Ed25519: "EdDSA",
};
const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * A key from a JWK (RFC 7517). A private JWK (with `d`) gives a key for signing, a public one a
 * key for verifying, an `oct` JWK an HMAC secret (checked by checkSecret). The algorithm comes
 * from `options.alg` or the JWK's `alg`, else from the curve (OKP Ed25519 → EdDSA, EC P-256 →
 * ES256, …); RSA and oct keys without one are refused, since nothing in them says how they sign.
 *
 * @throws JWTError KEY_INVALID for an unknown kty/crv, alg/kty/crv disagreement, `use` other
 * than "sig", RSA under 2048 bits, or members that do not form a key; WEAK_SECRET for oct.
 * @example
 * const key = importJWK({ kty: "OKP", crv: "Ed25519", x: "11qYAYKx…" }); // alg EdDSA
 */
export function importJWK(jwk: JWK, options: ImportJWKOptions = {}): VerificationKey | SigningKey {
  if (typeof jwk !== "object" || jwk === null || typeof jwk.kty !== "string") {
    throw new JWTError("KEY_INVALID", "the JWK is not an object with a string kty member (RFC 7517 §4.1)");
  }
  checkUse(jwk);
  const alg = resolveAlgorithm(jwk, options);
  const kid = resolveKid(jwk, options);
  const spec = algorithmSpec(alg);
  const expectedKty =
    spec?.keyType === "secret" ? "oct" : spec?.keyType === "ed25519" ? "OKP" : spec?.keyType.toUpperCase();
  if (jwk.kty !== expectedKty) {
    throw new JWTError("KEY_INVALID", `${alg} needs a JWK of kty ${String(expectedKty)}, but this one is ${jwk.kty}`, {
      alg,
      expected: String(expectedKty),
      actual: jwk.kty,
    });
  }
  if (spec?.crv !== undefined && jwk.crv !== spec.crv) {
    throw new JWTError("KEY_INVALID", `${alg} needs the curve ${spec.crv}, but the JWK's crv is ${String(jwk.crv)}`, {
      alg,
      expected: spec.crv,
      actual: String(jwk.crv),
    });
  }
  if (jwk.kty === "oct") {
    if (typeof jwk.k !== "string" || !base64url.test(jwk.k)) {
      throw new JWTError("KEY_INVALID", "the oct JWK's k member is not a base64url string (RFC 7518 §6.4.1)", { kid });
    }
    const secret = Buffer.from(jwk.k, "base64url");
    const optionsForSecret = { alg: alg as HMACAlgorithm, kid: kid ?? jwkThumbprint(jwk) };
    return createSecretKey(
      secret,
      options.allowWeak === true ? { ...optionsForSecret, allowWeak: true } : optionsForSecret,
    );
  }
  const key = toKeyObject(jwk);
  assertKeyFitsAlgorithm(key, alg);
  return Object.freeze({ kid: kid ?? jwkThumbprint(jwk), alg, key });
}

/** RFC 7517 §4.2, §4.3: a key meant for encryption must not verify signatures. */
function checkUse(jwk: JWK): void {
  if (jwk.use !== undefined && jwk.use !== "sig") {
    throw new JWTError(
      "KEY_INVALID",
      `the JWK's use is ${JSON.stringify(jwk.use)}; only "sig" keys sign or verify (RFC 7517 §4.2)`,
    );
  }
  if (jwk.key_ops !== undefined) {
    const ops = Array.isArray(jwk.key_ops) ? jwk.key_ops : [];
    if (!ops.includes("sign") && !ops.includes("verify")) {
      throw new JWTError("KEY_INVALID", 'the JWK\'s key_ops allow neither "sign" nor "verify" (RFC 7517 §4.3)');
    }
  }
}

function resolveAlgorithm(jwk: JWK, options: ImportJWKOptions): JWSAlgorithm {
  const fromJWK = jwk.alg === undefined ? undefined : parseAlgorithm(jwk.alg, "the JWK");
  const fromOptions = options.alg === undefined ? undefined : parseAlgorithm(options.alg, "options.alg");
  if (fromJWK !== undefined && fromOptions !== undefined && fromJWK !== fromOptions) {
    throw new JWTError("KEY_INVALID", `the JWK is declared for ${fromJWK}, but ${fromOptions} was requested`, {
      expected: fromOptions,
      actual: fromJWK,
    });
  }
  const alg = fromOptions ?? fromJWK ?? (typeof jwk.crv === "string" ? curveAlgorithm[jwk.crv] : undefined);
  if (alg !== undefined) return alg;
  if (jwk.kty === "RSA" || jwk.kty === "oct") {
    throw new JWTError(
      "KEY_INVALID",
      `an ${jwk.kty} JWK without alg does not say which algorithm it serves (${jwk.kty === "RSA" ? "RS256, PS256, …" : "HS256, HS384, HS512"}): pass options.alg`,
    );
  }
  throw new JWTError(
    "KEY_INVALID",
    `unsupported JWK: kty ${JSON.stringify(jwk.kty)}${jwk.crv === undefined ? "" : `, crv ${JSON.stringify(jwk.crv)}`} (supported: OKP Ed25519, EC P-256/384/521, RSA, oct)`,
  );
}

function resolveKid(jwk: JWK, options: ImportJWKOptions): string | undefined {
  if (jwk.kid !== undefined && typeof jwk.kid !== "string") {
    throw new JWTError("KEY_INVALID", "the JWK's kid member is not a string (RFC 7517 §4.5)");
  }
  if (jwk.kid !== undefined && options.kid !== undefined && jwk.kid !== options.kid) {
    throw new JWTError(
      "KEY_INVALID",
      `the JWK's kid ${JSON.stringify(jwk.kid)} differs from options.kid ${JSON.stringify(options.kid)}`,
    );
  }
  return jwk.kid ?? options.kid;
}

function toKeyObject(jwk: JWK): KeyObject {
  try {
    const input = { key: jwk as JsonWebKey, format: "jwk" as const };
    return jwk.d === undefined ? createPublicKey(input) : createPrivateKey(input);
  } catch {
    // node:crypto's own message may quote key material; say only what is wrong.
    throw new JWTError("KEY_INVALID", `the ${jwk.kty} JWK's members do not form a valid key`, {
      kid: typeof jwk.kid === "string" ? jwk.kid : undefined,
    });
  }
}
