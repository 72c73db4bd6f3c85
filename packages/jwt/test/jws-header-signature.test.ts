import assert from "node:assert/strict";
import { createSecretKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, signJWT } from "@sigil/jwt";
import { ALL_ALGORITHMS, b64, claims, expectCode, hmacToken, keysFor, now, withSegment } from "./fixtures/engine.js";

describe("header parameters", () => {
  const { signing, verification } = keysFor("HS256");
  const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now });

  test("crit, known or not, is refused before the key lookup", () => {
    const token = signJWT(claims(), signing, { header: { exp: 1 } });
    assert.ok(verify(token));
    const crit = hmacToken({ alg: "HS256", kid: "k-HS256", crit: ["exp"], exp: 1 }, claims(), signing.key);
    expectCode(() => verify(crit), "CRIT_UNSUPPORTED");
    expectCode(
      () => verify(hmacToken({ alg: "HS256", kid: "nope", crit: [] }, claims(), signing.key)),
      "CRIT_UNSUPPORTED",
    );
  });

  test("b64: false (RFC 7797) is refused, with or without crit", () => {
    const b64False = hmacToken({ alg: "HS256", kid: "k-HS256", b64: false }, claims(), signing.key);
    expectCode(() => verify(b64False), "CRIT_UNSUPPORTED");
    const critB64 = hmacToken({ alg: "HS256", kid: "k-HS256", b64: false, crit: ["b64"] }, claims(), signing.key);
    expectCode(() => verify(critB64), "CRIT_UNSUPPORTED");
  });

  test("jwk, jku, x5u and x5c never provide a key", () => {
    const attacker = generateKeyPairSync("ed25519");
    const header = {
      alg: "EdDSA",
      jwk: attacker.publicKey.export({ format: "jwk" }),
      jku: "https://attacker.example/jwks.json",
      x5u: "https://attacker.example/cert.pem",
      x5c: ["MIIB"],
    };
    const token = signJWT(claims(), { kid: "attacker", alg: "EdDSA", key: attacker.privateKey });
    const ed = createVerifier({ algorithms: ["EdDSA"], keys: [keysFor("EdDSA").verification], now });
    expectCode(() => ed(token), "KEY_NOT_FOUND");
    const payload = token.split(".")[1];
    const input = `${b64(header)}.${payload}`;
    const forged = `${input}.${sign(null, Buffer.from(input), attacker.privateKey).toString("base64url")}`;
    expectCode(() => ed(forged), "SIGNATURE_INVALID");
  });

  test("kid only selects among held keys", () => {
    const one = keysFor("HS256", "one");
    const two = { kid: "two", alg: "HS256" as const, key: createSecretKey(randomBytes(32)) };
    const pick = createVerifier({ algorithms: ["HS256"], keys: [one.verification, two], now });
    expectCode(() => pick(hmacToken({ alg: "HS256", kid: "three" }, claims(), two.key)), "KEY_NOT_FOUND");
    // Signed by "two" but naming "one": the named key is the only one tried.
    expectCode(() => pick(hmacToken({ alg: "HS256", kid: "one" }, claims(), two.key)), "SIGNATURE_INVALID");
    // Without a kid, every key of the token's algorithm is tried.
    assert.equal(pick(hmacToken({ alg: "HS256" }, claims(), two.key)).key.kid, "two");
    expectCode(() => pick(hmacToken({ alg: "HS256", kid: 7 }, claims(), two.key)), "MALFORMED");
  });
});

describe("signatures", () => {
  for (const alg of ALL_ALGORITHMS) {
    test(`${alg}: stripped, truncated, bit-flipped, foreign and tampered are refused`, () => {
      const { signing, verification } = keysFor(alg);
      const verify = createVerifier({ algorithms: [alg], keys: [verification], now, cache: false });
      const token = signJWT(claims(), signing);
      assert.equal(verify(token).payload.sub, "user-1");
      const [header, payload, signature] = token.split(".") as [string, string, string];
      expectCode(() => verify(`${header}.${payload}.`), "SIGNATURE_INVALID");
      const bytes = Buffer.from(signature, "base64url");
      for (const cut of [1, 3, bytes.length >> 1]) {
        const truncated = bytes.subarray(0, bytes.length - cut).toString("base64url");
        expectCode(() => verify(`${header}.${payload}.${truncated}`), "SIGNATURE_INVALID");
      }
      for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
        const flipped = Buffer.from(bytes);
        flipped[at]! ^= 0x01;
        expectCode(() => verify(withSegment(token, 2, flipped.toString("base64url"))), "SIGNATURE_INVALID");
      }
      const tampered = withSegment(
        token,
        1,
        b64({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "admin" }),
      );
      expectCode(() => verify(tampered), "SIGNATURE_INVALID");
      const stranger = alg.startsWith("HS")
        ? createSecretKey(randomBytes(64))
        : alg === "EdDSA"
          ? generateKeyPairSync("ed25519").privateKey
          : null;
      if (stranger !== null) {
        expectCode(() => verify(signJWT(claims(), { kid: signing.kid, alg, key: stranger })), "SIGNATURE_INVALID");
      }
    });
  }

  test("an HMAC over the right input with the wrong hash is refused", () => {
    const { signing, verification } = keysFor("HS256");
    const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now });
    const token = hmacToken({ alg: "HS256", kid: "k-HS256" }, claims(), signing.key, "sha512");
    expectCode(() => verify(token), "SIGNATURE_INVALID");
    const sha1 = hmacToken({ alg: "HS256", kid: "k-HS256" }, claims(), signing.key, "sha1");
    expectCode(() => verify(sha1), "SIGNATURE_INVALID");
  });
});
