import assert from "node:assert/strict";
import { createSecretKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, decodeJWT, type JWSAlgorithm, signJWT } from "@sigil/jwt";
import { ALL_ALGORITHMS, expectCode, keysFor, NOW, now } from "./fixtures/engine.js";

describe("signJWT refuses", () => {
  test("alg none, in any case", () => {
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const key = { kid: "k", alg: alg as JWSAlgorithm, key: createSecretKey(randomBytes(32)) };
      expectCode(() => signJWT({ sub: "a" }, key), "ALG_NOT_ALLOWED");
    }
  });

  test("an unknown algorithm", () => {
    const key = { kid: "k", alg: "HS1" as JWSAlgorithm, key: createSecretKey(randomBytes(32)) };
    expectCode(() => signJWT({ sub: "a" }, key), "ALG_NOT_ALLOWED");
  });

  test("a key whose type does not fit the algorithm (KEY_ALG_MISMATCH)", () => {
    const rsa = keysFor("RS256").privateKey;
    const ec = keysFor("ES256").privateKey;
    const cases: [JWSAlgorithm, typeof rsa][] = [
      ["HS256", rsa],
      ["HS256", ec],
      ["RS256", ec],
      ["PS256", keysFor("EdDSA").privateKey],
      ["ES256", rsa],
      ["ES256", keysFor("ES384").privateKey], // wrong curve
      ["ES512", ec],
      ["EdDSA", ec],
      ["EdDSA", createSecretKey(randomBytes(32))],
      ["RS256", keysFor("RS256").publicKey], // a public key cannot sign
    ];
    for (const [alg, key] of cases) {
      const error = expectCode(() => signJWT({ sub: "a" }, { kid: "k", alg, key }), "KEY_ALG_MISMATCH");
      assert.match(error.message, new RegExp(alg));
    }
  });

  test("an RSA key under 2048 bits", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const error = expectCode(() => signJWT({}, { kid: "k", alg: "RS256", key: privateKey }), "KEY_ALG_MISMATCH");
    assert.match(error.message, /2048/);
  });

  test("an HMAC secret shorter than the hash (WEAK_SECRET)", () => {
    expectCode(() => signJWT({}, { kid: "k", alg: "HS256", key: createSecretKey(randomBytes(31)) }), "WEAK_SECRET");
    expectCode(() => signJWT({}, { kid: "k", alg: "HS384", key: createSecretKey(randomBytes(32)) }), "WEAK_SECRET");
    expectCode(() => signJWT({}, { kid: "k", alg: "HS512", key: createSecretKey(randomBytes(48)) }), "WEAK_SECRET");
  });

  test("a key that is not a KeyObject", () => {
    const key = { kid: "k", alg: "HS256", key: randomBytes(32) } as unknown as Parameters<typeof signJWT>[1];
    expectCode(() => signJWT({}, key), "KEY_INVALID");
    expectCode(() => signJWT({}, null as never), "KEY_INVALID");
  });

  test("reserved or untrusted extra header parameters", () => {
    const { signing } = keysFor("HS256");
    for (const name of ["alg", "kid", "typ", "crit", "b64", "jku", "jwk", "x5u", "x5c"]) {
      const error = expectCode(() => signJWT({}, signing, { header: { [name]: "x" } }), "OPTIONS_INVALID");
      assert.equal(error.details.option, `header.${name}`);
    }
  });

  test("non-numeric time claims, bad expiresIn, non-object payloads", () => {
    const { signing } = keysFor("HS256");
    expectCode(() => signJWT({ exp: "tomorrow" } as never, signing), "CLAIM_INVALID");
    expectCode(() => signJWT({ iat: Number.NaN }, signing), "CLAIM_INVALID");
    expectCode(() => signJWT({}, signing, { expiresIn: -5 }), "OPTIONS_INVALID");
    expectCode(() => signJWT({}, signing, { expiresIn: Number.POSITIVE_INFINITY }), "OPTIONS_INVALID");
    expectCode(() => signJWT([] as never, signing), "CLAIM_INVALID");
    expectCode(() => signJWT(null as never, signing), "CLAIM_INVALID");
    expectCode(() => signJWT({ big: 1n } as never, signing), "CLAIM_INVALID");
  });
});

describe("signJWT sets", () => {
  test("alg, typ JWT and kid headers; iat from the clock; a random 128-bit jti", () => {
    const { signing } = keysFor("HS256");
    const token = signJWT({ sub: "user-1" }, signing, { now });
    const { header, payload } = decodeJWT(token);
    assert.deepEqual(header, { alg: "HS256", typ: "JWT", kid: "k-HS256" });
    assert.equal(payload.iat, NOW);
    assert.equal(payload.exp, undefined);
    assert.match(payload.jti ?? "", /^[A-Za-z0-9_-]{22}$/);
    const other = decodeJWT(signJWT({ sub: "user-1" }, signing, { now })).payload.jti;
    assert.notEqual(other, payload.jti);
  });

  test("exp = iat + expiresIn, nbf = iat + notBefore, the given typ, jti and extra headers", () => {
    const { signing } = keysFor("EdDSA");
    const token = signJWT({ sub: "u" }, signing, {
      now,
      expiresIn: 900,
      notBefore: 5,
      typ: "at+jwt",
      jti: "id-1",
      header: { cty: "x" },
    });
    const { header, payload } = decodeJWT(token);
    assert.deepEqual(header, { alg: "EdDSA", typ: "at+jwt", kid: "k-EdDSA", cty: "x" });
    assert.deepEqual(payload, { sub: "u", iat: NOW, exp: NOW + 900, nbf: NOW + 5, jti: "id-1" });
  });

  test("keeps the payload's own iat and jti, and does not mutate the payload", () => {
    const { signing } = keysFor("HS256");
    const input = { sub: "u", iat: NOW - 10, jti: "mine" };
    const { payload } = decodeJWT(signJWT(input, signing, { now, expiresIn: 60 }));
    assert.equal(payload.iat, NOW - 10);
    assert.equal(payload.exp, NOW + 50);
    assert.equal(payload.jti, "mine");
    assert.deepEqual(input, { sub: "u", iat: NOW - 10, jti: "mine" });
  });

  test("ECDSA signatures in raw r||s form (RFC 7518 §3.4)", () => {
    for (const [alg, bytes] of [
      ["ES256", 64],
      ["ES384", 96],
      ["ES512", 132],
    ] as const) {
      assert.equal(decodeJWT(signJWT({}, keysFor(alg).signing)).signature.length, bytes);
    }
  });

  test("reuses the header encoding per key and typ, and notices a changed kid", () => {
    const key = { kid: "a", alg: "HS256" as const, key: keysFor("HS256").privateKey };
    assert.equal(decodeJWT(signJWT({}, key)).header.kid, "a");
    assert.equal(decodeJWT(signJWT({}, key, { typ: "at+jwt" })).header.typ, "at+jwt");
    (key as { kid: string }).kid = "b";
    assert.equal(decodeJWT(signJWT({}, key)).header.kid, "b");
  });

  test("every algorithm signs tokens that its verifier accepts", () => {
    for (const alg of ALL_ALGORITHMS) {
      const { signing, verification } = keysFor(alg);
      const token = signJWT({ sub: alg }, signing, { now, expiresIn: 60 });
      const verify = createVerifier({ algorithms: [alg], keys: [verification], now });
      assert.equal(verify(token).payload.sub, alg);
    }
  });
});
