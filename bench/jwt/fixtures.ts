// Keys and tokens shared by every implementation. Tokens are signed once, up front, by the
// raw node:crypto signer, so every verifier checks exactly the same bytes.

import {
  createHmac,
  createSecretKey,
  sign as cryptoSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";

export const BENCH_ALGORITHMS = ["HS256", "EdDSA", "ES256", "RS256"] as const;
export type BenchAlgorithm = (typeof BENCH_ALGORITHMS)[number];

export function isBenchAlgorithm(value: string): value is BenchAlgorithm {
  return (BENCH_ALGORITHMS as readonly string[]).includes(value);
}

/** Access-token lifetime used by every signer and in every pre-signed token. */
export const TTL_SECONDS = 3600;

export const BENCH_SUBJECT = "user-4f1c2a9e";

export interface AlgFixture {
  readonly alg: BenchAlgorithm;
  readonly kid: string;
  /** HMAC secret (HS256) or private key. */
  readonly signingKey: KeyObject;
  /** HMAC secret (HS256) or public key. */
  readonly verificationKey: KeyObject;
  /** The same keys in the forms fast-jwt accepts: raw secret bytes, or PEM. */
  readonly signingKeyMaterial: Buffer | string;
  readonly verificationKeyMaterial: Buffer | string;
  /** Distinct valid tokens (cycled so that no cache can help). tokens[0] is the "cache hit" token. */
  readonly tokens: readonly string[];
  /** Tokens every verifier must reject: expired, a flipped signature bit, an alg outside the allow-list. */
  readonly expired: string;
  readonly tampered: string;
  readonly disallowedAlg: string;
  /** The claims every signer signs (each adds iat/exp, and Sigil a jti). */
  readonly claims: Readonly<Record<string, unknown>>;
}

function generateKeys(alg: BenchAlgorithm): { signingKey: KeyObject; verificationKey: KeyObject } {
  switch (alg) {
    case "HS256": {
      const secret = createSecretKey(randomBytes(32));
      return { signingKey: secret, verificationKey: secret };
    }
    case "EdDSA": {
      const pair = generateKeyPairSync("ed25519");
      return { signingKey: pair.privateKey, verificationKey: pair.publicKey };
    }
    case "ES256": {
      const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
      return { signingKey: pair.privateKey, verificationKey: pair.publicKey };
    }
    case "RS256": {
      const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return { signingKey: pair.privateKey, verificationKey: pair.publicKey };
    }
  }
}

function keyMaterial(key: KeyObject): Buffer | string {
  if (key.type === "secret") return key.export();
  return key.type === "private"
    ? key.export({ format: "pem", type: "pkcs8" }).toString()
    : key.export({ format: "pem", type: "spki" }).toString();
}

function encodeJSON(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Signs `header.payload` with node:crypto (RFC 7515 §5.1, RFC 7518 §3). */
export function rawSignature(alg: BenchAlgorithm, key: KeyObject, signingInput: string): string {
  switch (alg) {
    case "HS256":
      return createHmac("sha256", key).update(signingInput).digest("base64url");
    case "EdDSA":
      return cryptoSign(null, Buffer.from(signingInput), key).toString("base64url");
    case "ES256":
      // RFC 7518 §3.4: JWS carries R || S, not DER.
      return cryptoSign("sha256", Buffer.from(signingInput), { key, dsaEncoding: "ieee-p1363" }).toString("base64url");
    case "RS256":
      return cryptoSign("sha256", Buffer.from(signingInput), key).toString("base64url");
  }
}

function flipSignatureBit(token: string): string {
  const dot = token.lastIndexOf(".");
  const signature = Buffer.from(token.slice(dot + 1), "base64url");
  signature[0] = signature[0]! ^ 0x01;
  return `${token.slice(0, dot + 1)}${signature.toString("base64url")}`;
}

/**
 * A token whose header names an algorithm outside the verifier's allow-list, HMAC-signed with
 * the verification key's bytes: for an asymmetric key that is the algorithm-confusion attack
 * (RFC 8725 §2.1); for HS256 it is an HS512 token under the same secret. Only an allow-list stops it.
 */
function algorithmConfusionToken(alg: BenchAlgorithm, verificationKey: KeyObject, payload: object): string {
  const foreign = alg === "HS256" ? "HS512" : "HS256";
  const secret = keyMaterial(verificationKey);
  const signingInput = `${encodeJSON({ alg: foreign, typ: "JWT" })}.${encodeJSON(payload)}`;
  const mac = createHmac(foreign === "HS512" ? "sha512" : "sha256", secret).update(signingInput);
  return `${signingInput}.${mac.digest("base64url")}`;
}

export interface FixtureOptions {
  /** Number of distinct tokens for the no-cache and cache-miss cases. */
  readonly poolSize: number;
}

export function createFixture(alg: BenchAlgorithm, options: FixtureOptions): AlgFixture {
  const { signingKey, verificationKey } = generateKeys(alg);
  const kid = `bench-${alg.toLowerCase()}`;
  const header = encodeJSON({ alg, typ: "JWT", kid });
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: BENCH_SUBJECT, iss: "https://auth.example.test", aud: "api", scope: "profile:read" };
  const signToken = (payload: Record<string, unknown>): string => {
    const signingInput = `${header}.${encodeJSON(payload)}`;
    return `${signingInput}.${rawSignature(alg, signingKey, signingInput)}`;
  };
  const tokens: string[] = [];
  for (let i = 0; i < options.poolSize; i++) {
    // A distinct jti makes every token distinct, as in real traffic.
    tokens.push(signToken({ ...claims, iat: now, exp: now + TTL_SECONDS, jti: randomBytes(12).toString("base64url") }));
  }
  const expired = signToken({ ...claims, iat: now - 7200, exp: now - 3600, jti: "expired" });
  return {
    alg,
    kid,
    signingKey,
    verificationKey,
    signingKeyMaterial: keyMaterial(signingKey),
    verificationKeyMaterial: keyMaterial(verificationKey),
    tokens,
    expired,
    tampered: flipSignatureBit(tokens[0]!),
    disallowedAlg: algorithmConfusionToken(alg, verificationKey, { ...claims, iat: now, exp: now + TTL_SECONDS }),
    claims,
  };
}
