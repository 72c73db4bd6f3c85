// The floor: what a hand-written verifier on node:crypto costs. It checks exactly what the
// libraries are configured to check (three segments, the alg allow-list, the signature, exp)
// and nothing more, so "cost vs raw" is the price of everything else a library does.

import { createHmac, verify as cryptoVerify, type KeyObject, timingSafeEqual } from "node:crypto";
import { type AlgFixture, type BenchAlgorithm, rawSignature, TTL_SECONDS } from "../fixtures.js";
import { type Contender, type PreparedVerifier, type SignFunction, subjectOfClaims } from "./contender.js";

function fail(reason: string): never {
  throw new Error(`raw verify: ${reason}`);
}

function decodeJSON(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("not a JSON object");
  return value as Record<string, unknown>;
}

type SignatureCheck = (signingInput: string, signature: Buffer) => boolean;

function signatureCheck(alg: BenchAlgorithm, key: KeyObject): SignatureCheck {
  switch (alg) {
    case "HS256":
      return (input, signature) => {
        const mac = createHmac("sha256", key).update(input).digest();
        return signature.length === mac.length && timingSafeEqual(signature, mac);
      };
    case "EdDSA":
      return (input, signature) => cryptoVerify(null, Buffer.from(input), key, signature);
    case "ES256": {
      // RFC 7518 §3.4: the JWS signature is R || S.
      const ecKey = { key, dsaEncoding: "ieee-p1363" as const };
      return (input, signature) => cryptoVerify("sha256", Buffer.from(input), ecKey, signature);
    }
    case "RS256":
      return (input, signature) => cryptoVerify("sha256", Buffer.from(input), key, signature);
  }
}

function createRawVerifier(fixture: AlgFixture): PreparedVerifier {
  const { alg } = fixture;
  const check = signatureCheck(alg, fixture.verificationKey);
  const verify = (token: string): Record<string, unknown> => {
    const first = token.indexOf(".");
    const second = token.indexOf(".", first + 1);
    if (first < 0 || second < 0 || token.indexOf(".", second + 1) !== -1) fail("not three segments");
    const header = decodeJSON(token.slice(0, first));
    if (header["alg"] !== alg) fail("alg not allowed");
    const signature = Buffer.from(token.slice(second + 1), "base64url");
    if (!check(token.slice(0, second), signature)) fail("bad signature");
    const payload = decodeJSON(token.slice(first + 1, second));
    const exp = payload["exp"];
    if (typeof exp !== "number" || exp <= Date.now() / 1000) fail("expired or no exp");
    return payload;
  };
  return { verify, subjectOf: subjectOfClaims };
}

function createRawSigner(fixture: AlgFixture): SignFunction {
  const { alg, signingKey, claims } = fixture;
  // The header is the same for every token of a key, so it is encoded once.
  const header = Buffer.from(JSON.stringify({ alg, typ: "JWT", kid: fixture.kid })).toString("base64url");
  return () => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + TTL_SECONDS })).toString("base64url");
    const signingInput = `${header}.${payload}`;
    return `${signingInput}.${rawSignature(alg, signingKey, signingInput)}`;
  };
}

export const raw: Contender = {
  name: "raw node:crypto",
  role: "raw",
  keyForm: "KeyObject",
  cacheModes: ["off"],
  unsupported: () => undefined,
  createSigner: async (fixture) => createRawSigner(fixture),
  createVerifier: async (fixture) => createRawVerifier(fixture),
};
