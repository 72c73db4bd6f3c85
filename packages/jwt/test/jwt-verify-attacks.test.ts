import assert from "node:assert/strict";
import { createSecretKey, generateKeyPairSync, type JsonWebKey, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, type JWSAlgorithm, signJWT, type VerificationKey, type VerificationKeySet } from "@sigil/jwt";
import { b64, claims, expectCode, hmacToken, keysFor, now } from "./fixtures/engine.js";

/** The key's raw public bytes: RSA modulus, uncompressed EC point (SEC 1 §2.3.3), Ed25519 point. */
function rawPublicKey(jwk: JsonWebKey): Buffer {
  if (jwk.kty === "RSA") return Buffer.from(jwk.n!, "base64url");
  if (jwk.kty === "EC")
    return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return Buffer.from(jwk.x!, "base64url");
}

/** A key set that is not a fixed list, so keys are only checked when a token uses them. */
function dynamicSet(keys: readonly VerificationKey[]): VerificationKeySet {
  return { version: 1, find: (kid) => (kid === undefined ? keys : keys.filter((k) => k.kid === kid)) };
}

describe("alg none", () => {
  test("is refused in every letter case, signed or not, before any key lookup", () => {
    const verify = createVerifier({ algorithms: ["HS256", "EdDSA"], keys: [keysFor("HS256").verification], now });
    for (const alg of ["none", "None", "NONE", "nOnE", "NoNe"]) {
      for (const kid of [undefined, "k-HS256", "unknown"]) {
        const unsigned = `${b64({ alg, kid })}.${b64(claims())}.`;
        expectCode(() => verify(unsigned), "ALG_NOT_ALLOWED");
        const withSignature = `${b64({ alg, kid })}.${b64(claims())}.${randomBytes(32).toString("base64url")}`;
        expectCode(() => verify(withSignature), "ALG_NOT_ALLOWED");
      }
    }
  });
});

describe("the algorithm allow-list", () => {
  test("an algorithm outside it is refused before the key lookup, with a clear message", () => {
    const { signing } = keysFor("HS256", "shared-kid");
    const verify = createVerifier({ algorithms: ["EdDSA"], keys: [keysFor("EdDSA").verification], now });
    const error = expectCode(() => verify(signJWT(claims(), signing)), "ALG_NOT_ALLOWED");
    assert.equal(error.message, "signed with HS256 but only EdDSA is allowed");
    assert.equal(error.details.alg, "HS256");
  });

  test("unknown and oddly typed algorithms are refused", () => {
    const verify = createVerifier({ algorithms: ["ES256", "EdDSA"], keys: [keysFor("EdDSA").verification], now });
    const error = expectCode(() => verify(hmacToken({ alg: "HS1" }, claims(), randomBytes(32))), "ALG_NOT_ALLOWED");
    assert.equal(error.message, 'signed with unsupported alg "HS1" but only ES256 or EdDSA are allowed');
    expectCode(() => verify(hmacToken({ alg: "eddsa" }, claims(), randomBytes(32))), "ALG_NOT_ALLOWED");
    expectCode(() => verify(hmacToken({ alg: 1 }, claims(), randomBytes(32))), "MALFORMED");
    expectCode(() => verify(hmacToken({ typ: "JWT" }, claims(), randomBytes(32))), "MALFORMED");
  });
});

describe("order of checks (RFC 8725)", () => {
  const { signing, verification } = keysFor("HS256");
  let lookups = 0;
  const spy: VerificationKeySet = {
    version: 1,
    find: (kid) => {
      lookups++;
      return kid === undefined || kid === verification.kid ? [verification] : [];
    },
  };
  const verify = createVerifier({ algorithms: ["HS256"], keys: spy, typ: "at+jwt", now, cache: false });

  test("alg, crit and typ are judged before any key is looked up", () => {
    lookups = 0;
    expectCode(() => verify(hmacToken({ alg: "RS256", kid: "k-HS256" }, claims(), signing.key)), "ALG_NOT_ALLOWED");
    expectCode(() => verify(hmacToken({ alg: "none", kid: "k-HS256" }, claims(), signing.key)), "ALG_NOT_ALLOWED");
    const crit = { alg: "HS256", kid: "k-HS256", typ: "at+jwt", crit: ["x"] };
    expectCode(() => verify(hmacToken(crit, claims(), signing.key)), "CRIT_UNSUPPORTED");
    expectCode(
      () => verify(hmacToken({ alg: "HS256", kid: "k-HS256", typ: "JWT" }, claims(), signing.key)),
      "TYP_MISMATCH",
    );
    assert.equal(lookups, 0);
    assert.ok(verify(signJWT(claims(), signing, { typ: "at+jwt" })));
    assert.equal(lookups, 1);
  });

  test("the signature is checked before the payload is parsed", () => {
    const header = b64({ alg: "HS256", kid: "k-HS256", typ: "at+jwt" });
    const garbage = `${header}.${b64("not json")}.${randomBytes(32).toString("base64url")}`;
    expectCode(() => verify(garbage), "SIGNATURE_INVALID");
    const expiredButForged = `${header}.${b64(claims({ exp: 1 }))}.${randomBytes(32).toString("base64url")}`;
    expectCode(() => verify(expiredButForged), "SIGNATURE_INVALID");
  });
});

describe("algorithm confusion: a public key used as an HMAC secret never verifies", () => {
  const holders: [string, JWSAlgorithm][] = [
    ["RSA", "RS256"],
    ["EC", "ES256"],
    ["Ed25519", "EdDSA"],
  ];
  for (const [name, alg] of holders) {
    const { verification, publicKey } = keysFor(alg, "victim");
    const jwk = publicKey.export({ format: "jwk" });
    const forms: [string, Buffer][] = [
      ["PEM", Buffer.from(publicKey.export({ format: "pem", type: "spki" }) as string)],
      ["DER", publicKey.export({ format: "der", type: "spki" })],
      ["JWK JSON", Buffer.from(JSON.stringify(jwk))],
      ["raw", rawPublicKey(jwk)],
    ];
    for (const [form, secret] of forms) {
      test(`${name} public key as ${form}`, () => {
        const forged = hmacToken({ alg: "HS256", kid: "victim" }, claims(), secret);
        const forgedNoKid = hmacToken({ alg: "HS256" }, claims(), secret);
        // The allow-list alone stops it...
        expectCode(() => createVerifier({ algorithms: [alg], keys: [verification], now })(forged), "ALG_NOT_ALLOWED");
        // ...and when HS256 is allowed too, the key's own alg and type still refuse it.
        const both = createVerifier({ algorithms: [alg, "HS256"], keys: [verification], now });
        expectCode(() => both(forged), "KEY_ALG_MISMATCH");
        expectCode(() => both(forgedNoKid), "KEY_NOT_FOUND");
        // A key misdeclared as HS256 is refused as an option, or at use in a dynamic key set.
        const misdeclared = { kid: "victim", alg: "HS256" as const, key: publicKey };
        expectCode(() => createVerifier({ algorithms: ["HS256"], keys: [misdeclared], now }), "OPTIONS_INVALID");
        const dynamic = createVerifier({ algorithms: ["HS256"], keys: dynamicSet([misdeclared]), now });
        expectCode(() => dynamic(forged), "KEY_ALG_MISMATCH");
        expectCode(() => dynamic(forgedNoKid), "KEY_ALG_MISMATCH");
      });
    }
  }

  test("a key is only used with its own algorithm (ES256 key, ES384 token; RS256 key, PS256 token)", () => {
    const es = keysFor("ES256", "k");
    const es384 = keysFor("ES384", "k");
    const verify = createVerifier({ algorithms: ["ES256", "ES384"], keys: [es.verification], now });
    expectCode(() => verify(signJWT(claims(), es384.signing)), "KEY_ALG_MISMATCH");
    const rs = keysFor("RS256", "r");
    const ps = keysFor("PS256", "r");
    const rsVerify = createVerifier({ algorithms: ["RS256", "PS256"], keys: [rs.verification], now });
    expectCode(() => rsVerify(signJWT(claims(), ps.signing)), "KEY_ALG_MISMATCH");
  });

  test("keys of the wrong type, curve or size in a key set are refused at use", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const cases: [JWSAlgorithm, VerificationKey["key"]][] = [
      ["RS256", small.publicKey],
      ["ES256", keysFor("ES384").publicKey],
      ["EdDSA", keysFor("ES256").publicKey],
      ["PS256", createSecretKey(randomBytes(32))],
    ];
    for (const [alg, key] of cases) {
      const verify = createVerifier({ algorithms: [alg], keys: dynamicSet([{ kid: "k", alg, key }]), now });
      const token = `${b64({ alg, kid: "k" })}.${b64(claims())}.${randomBytes(64).toString("base64url")}`;
      expectCode(() => verify(token), "KEY_ALG_MISMATCH");
    }
  });
});
