import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { describe, test } from "node:test";
import { calculateJwkThumbprint, type JWK as JoseJWK, importJWK as joseImportJWK } from "jose";
import type { JWTError } from "../src/errors/jwt-error.js";
import { exportJWK } from "../src/keys/export-jwk.js";
import { generateKeyPair } from "../src/keys/generate-key-pair.js";
import { importJWK } from "../src/keys/import-jwk.js";
import type { AsymmetricAlgorithm, KeyPair } from "../src/keys/key-pair.js";
import { exportPEM, importPEM } from "../src/keys/pem.js";
import { publicKeyOf } from "../src/keys/public-key-of.js";
import { jwkThumbprint } from "../src/keys/thumbprint.js";
import { algorithmSpec } from "../src/lib/algorithms.js";
import type { JWK } from "../src/types.js";

const code = (expected: string) => (error: unknown) => (error as JWTError).code === expected;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

// RFC 7638 §3.1 and RFC 8037 §A.1–A.3.
const rfc7638Key: JWK = {
  kty: "RSA",
  n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
  e: "AQAB",
  alg: "RS256",
  kid: "2011-04-29",
};
const rfc8037Public: JWK = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
const rfc8037Private: JWK = { ...rfc8037Public, d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A" };

/** Proves a pair works with node:crypto directly, using the JWS digest of the algorithm. */
function assertPairSigns(pair: KeyPair): void {
  const spec = algorithmSpec(pair.alg);
  const data = Buffer.from("payload");
  const padding = spec?.family === "RSA-PSS" ? { padding: 6, saltLength: 32 } : {};
  const signature = sign(spec?.hash ?? null, data, { key: pair.privateKey, ...padding });
  assert.equal(verify(spec?.hash ?? null, data, { key: pair.publicKey, ...padding }, signature), true);
  assert.equal(verify(spec?.hash ?? null, Buffer.from("other"), { key: pair.publicKey, ...padding }, signature), false);
}

describe("generateKeyPair", () => {
  test("refuses RSA under 2048 bits, HMAC algorithms, and modulusLength for non-RSA keys", async () => {
    await assert.rejects(generateKeyPair("RS256", { modulusLength: 1024 }), code("OPTIONS_INVALID"));
    await assert.rejects(generateKeyPair("HS256" as AsymmetricAlgorithm), code("OPTIONS_INVALID"));
    await assert.rejects(generateKeyPair("none" as AsymmetricAlgorithm), code("OPTIONS_INVALID"));
    await assert.rejects(generateKeyPair("EdDSA", { modulusLength: 2048 }), code("OPTIONS_INVALID"));
  });

  test("defaults to Ed25519 with the thumbprint as kid", async () => {
    const pair = await generateKeyPair();
    assert.equal(pair.alg, "EdDSA");
    assert.equal(pair.publicKey.asymmetricKeyType, "ed25519");
    assert.equal(pair.kid, jwkThumbprint(exportJWK(pair.publicKey, { alg: "EdDSA" })));
    assert.deepEqual(pair.signing, { kid: pair.kid, alg: "EdDSA", key: pair.privateKey });
    assert.deepEqual(pair.verification, { kid: pair.kid, alg: "EdDSA", key: pair.publicKey });
    assert.equal((await generateKeyPair("EdDSA", { kid: "k1" })).kid, "k1");
  });

  const algorithms: AsymmetricAlgorithm[] = [
    "EdDSA",
    "ES256",
    "ES384",
    "ES512",
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
  ];
  for (const alg of algorithms) {
    test(`${alg}: the pair signs and verifies`, async () => {
      const pair = await generateKeyPair(alg);
      assert.equal(pair.alg, alg);
      assert.equal(pair.privateKey.type, "private");
      assert.equal(pair.publicKey.type, "public");
      const spec = algorithmSpec(alg);
      assert.equal(pair.publicKey.asymmetricKeyType, spec?.keyType);
      if (spec?.namedCurve) assert.equal(pair.publicKey.asymmetricKeyDetails?.namedCurve, spec.namedCurve);
      if (spec?.keyType === "rsa") assert.equal(pair.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assertPairSigns(pair);
    });
  }
});

describe("jwkThumbprint", () => {
  test("matches the RFC 7638 §3.1 and RFC 8037 §A.3 examples", () => {
    assert.equal(jwkThumbprint(rfc7638Key), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    assert.equal(jwkThumbprint(rfc8037Public), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    // Only required members count: the private JWK has the same thumbprint.
    assert.equal(jwkThumbprint(rfc8037Private), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  });

  test("refuses unknown key types and missing members", () => {
    assert.throws(() => jwkThumbprint({ kty: "XYZ" }), code("KEY_INVALID"));
    assert.throws(() => jwkThumbprint({ kty: "EC", crv: "P-256", x: "AA" }), code("KEY_INVALID"));
  });
});

describe("importJWK", () => {
  test("refuses inconsistent or unusable JWKs with KEY_INVALID", async () => {
    const ec = exportJWK((await generateKeyPair("ES256")).publicKey, { alg: "ES256" });
    const cases: [string, JWK, Parameters<typeof importJWK>[1]?][] = [
      ["alg vs kty", { ...rfc8037Public, alg: "RS256" }],
      ["options.alg vs kty", rfc8037Public, { alg: "ES256" }],
      ["jwk.alg vs options.alg", { ...ec }, { alg: "ES384" }],
      ["crv mismatch", { ...ec, alg: "ES384" }],
      ["use enc", { ...rfc8037Public, use: "enc" }],
      ["key_ops without sign/verify", { ...rfc8037Public, key_ops: ["encrypt"] }],
      ["alg none", { ...rfc8037Public, alg: "none" }],
      ["unknown kty", { kty: "XYZ" }],
      ["Ed448", { kty: "OKP", crv: "Ed448", x: "AAAA" }],
      ["X25519 as EdDSA", { ...rfc8037Public, crv: "X25519", alg: "EdDSA" }],
      ["RSA without alg", { kty: "RSA", n: rfc7638Key.n, e: "AQAB" }],
      ["broken members", { ...ec, x: "AAAA" }],
      ["kid conflict", { ...rfc8037Public, kid: "a" }, { kid: "b" }],
      ["oct without alg", { kty: "oct", k: "A".repeat(43) }],
    ];
    for (const [name, jwk, options] of cases) {
      assert.throws(() => importJWK(jwk, options), code("KEY_INVALID"), name);
    }
  });

  test("refuses RSA keys under 2048 bits", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const jwk = publicKey.export({ format: "jwk" }) as JWK;
    assert.throws(() => importJWK(jwk, { alg: "RS256" }), code("KEY_INVALID"));
  });

  test("imports the RFC 8037 keys: the private one signs, the public one verifies", () => {
    const privateKey = importJWK(rfc8037Private);
    const publicKey = importJWK(rfc8037Public);
    assert.equal(privateKey.alg, "EdDSA");
    assert.equal(privateKey.kid, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    assert.equal(privateKey.key.type, "private");
    assert.equal(publicKey.key.type, "public");
    // RFC 8037 §A.4: the signature of "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".
    const input = Buffer.from("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
    const expected = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    assert.equal(sign(null, input, privateKey.key).toString("base64url"), expected);
    assert.equal(verify(null, input, publicKey.key, Buffer.from(expected, "base64url")), true);
  });

  test("kid: the JWK's, else the option, else the thumbprint; alg from the JWK or the option", () => {
    assert.equal(importJWK(rfc7638Key).kid, "2011-04-29");
    assert.equal(importJWK(rfc7638Key).alg, "RS256");
    const { kid: _kid, alg: _alg, ...bare } = rfc7638Key;
    assert.equal(importJWK(bare, { alg: "PS256" }).alg, "PS256");
    assert.equal(importJWK(bare, { alg: "PS256" }).kid, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    assert.equal(importJWK(rfc8037Public, { kid: "mine" }).kid, "mine");
  });

  test("oct keys become HMAC secrets, subject to the weak-secret check", () => {
    const strong = importJWK({ kty: "oct", k: randomBytes(32).toString("base64url"), alg: "HS256" });
    assert.equal(strong.key.type, "secret");
    assert.throws(
      () => importJWK({ kty: "oct", k: Buffer.from("secret").toString("base64url"), alg: "HS256" }),
      code("WEAK_SECRET"),
    );
    const weak = importJWK(
      { kty: "oct", k: Buffer.from("secret").toString("base64url"), alg: "HS256" },
      { allowWeak: true },
    );
    assert.equal(weak.key.symmetricKeySize, 6);
  });
});

describe("exportJWK / importJWK / PEM round trips", () => {
  const algorithms: AsymmetricAlgorithm[] = ["EdDSA", "ES256", "ES384", "ES512", "RS256", "PS384"];
  for (const alg of algorithms) {
    test(`${alg}: JWK and PEM round trips keep the key, kid and alg`, async () => {
      const pair = await generateKeyPair(alg);
      const publicJWK = exportJWK(pair.publicKey, { alg });
      assert.equal(publicJWK.kid, pair.kid);
      assert.equal(publicJWK.alg, alg);
      assert.equal(publicJWK.use, "sig");
      // Cross-check with jose: the same thumbprint, and it imports our JWK.
      assert.equal(await calculateJwkThumbprint(publicJWK as JoseJWK), pair.kid);
      await joseImportJWK(publicJWK as JoseJWK, alg);
      // A private key exported without includePrivate gives its public half only.
      assert.deepEqual(exportJWK(pair.privateKey, { alg }), publicJWK);
      for (const member of PRIVATE_MEMBERS) assert.equal(member in publicJWK, false, member);

      const privateJWK = exportJWK(pair.privateKey, { alg, includePrivate: true });
      assert.equal(typeof privateJWK.d, "string");
      const imported = importJWK(privateJWK);
      assert.equal(imported.kid, pair.kid);
      assert.equal(imported.key.type, "private");
      assert.equal(imported.key.equals(pair.privateKey), true);
      assert.equal(importJWK(publicJWK).key.equals(pair.publicKey), true);

      const privatePEM = exportPEM(pair.privateKey);
      const publicPEM = exportPEM(pair.publicKey);
      assert.match(privatePEM, /^-----BEGIN PRIVATE KEY-----/);
      assert.match(publicPEM, /^-----BEGIN PUBLIC KEY-----/);
      const fromPEM = importPEM(privatePEM, { alg });
      assert.deepEqual([fromPEM.kid, fromPEM.alg], [pair.kid, alg]);
      assert.equal(fromPEM.key.equals(pair.privateKey), true);
      assert.equal(importPEM(publicPEM, { alg }).key.equals(pair.publicKey), true);
      assert.deepEqual(publicKeyOf(fromPEM), { kid: pair.kid, alg, key: publicKeyOf(fromPEM).key });
      assert.equal(publicKeyOf(fromPEM).key.equals(pair.publicKey), true);
    });
  }

  test("PEM: alg inferred for EC and Ed25519, required for RSA; SEC1 and PKCS#1 accepted", async () => {
    const ec = await generateKeyPair("ES384");
    const sec1 = ec.privateKey.export({ type: "sec1", format: "pem" }).toString();
    assert.match(sec1, /BEGIN EC PRIVATE KEY/);
    assert.equal(importPEM(sec1).alg, "ES384");
    assert.equal(importPEM(exportPEM((await generateKeyPair()).publicKey)).alg, "EdDSA");
    const rsa = await generateKeyPair("RS256");
    const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    assert.throws(() => importPEM(pkcs1), code("KEY_INVALID"));
    assert.equal(importPEM(pkcs1, { alg: "RS512" }).alg, "RS512");
    const pkcs1Public = rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString();
    assert.equal(importPEM(pkcs1Public, { alg: "PS256" }).key.equals(rsa.publicKey), true);
  });

  test("PEM: refuses mismatches, garbage, several blocks, encrypted keys, certificates, short RSA", async () => {
    const ed = exportPEM((await generateKeyPair()).publicKey);
    assert.throws(() => importPEM(ed, { alg: "ES256" }), code("KEY_INVALID"));
    assert.throws(() => importPEM(ed, { alg: "HS256" }), code("KEY_INVALID"));
    assert.throws(() => importPEM("not a key"), code("KEY_INVALID"));
    assert.throws(() => importPEM(ed + ed), code("KEY_INVALID"));
    assert.throws(() => importPEM(ed.replace(/\n[A-Za-z0-9+/=]+\n/, "\nAAAA\n")), code("KEY_INVALID"));
    assert.throws(() => importPEM("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"), code("KEY_INVALID"));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const encrypted = privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "x" })
      .toString();
    assert.throws(() => importPEM(encrypted, { alg: "RS256" }), code("KEY_INVALID"));
    assert.throws(
      () => importPEM(privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { alg: "RS256" }),
      code("KEY_INVALID"),
    );
  });

  test("HMAC secrets are never exported publicly, and have no PEM or public key", () => {
    const secret = importJWK({ kty: "oct", alg: "HS256", k: randomBytes(32).toString("base64url") });
    assert.throws(() => exportJWK(secret.key, { alg: "HS256" }), code("KEY_INVALID"));
    assert.throws(() => exportPEM(secret.key), code("KEY_INVALID"));
    assert.throws(() => publicKeyOf(secret), code("KEY_INVALID"));
    const exported = exportJWK(secret.key, { alg: "HS256", includePrivate: true });
    assert.equal(exported.kty, "oct");
    assert.equal(exported.kid, secret.kid);
  });

  test("exportJWK refuses a key that does not fit the algorithm", async () => {
    const pair = await generateKeyPair("ES256");
    assert.throws(() => exportJWK(pair.publicKey, { alg: "ES384" }), code("KEY_INVALID"));
    assert.throws(() => exportJWK(pair.publicKey, { alg: "HS256" }), code("KEY_INVALID"));
    assert.equal(createPublicKey(pair.privateKey).equals(pair.publicKey), true);
  });
});
