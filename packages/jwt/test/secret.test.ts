import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { JWTError } from "../src/errors/jwt-error.js";
import { checkSecret } from "../src/keys/check-secret.js";
import { createSecretKey } from "../src/keys/create-secret-key.js";
import { generateSecret } from "../src/keys/generate-secret.js";
import { jwkThumbprint } from "../src/keys/thumbprint.js";

const code = (expected: string) => (error: unknown) => (error as JWTError).code === expected;

describe("checkSecret", () => {
  test("missing: an unset variable never becomes a secret", () => {
    const weakness = checkSecret(undefined);
    assert.equal(weakness?.reason, "missing");
    assert.match(weakness?.message ?? "", /unset environment variable/);
  });

  test("empty or blank", () => {
    for (const secret of ["", "   ", "\n\t", new Uint8Array(0)]) {
      assert.equal(checkSecret(secret)?.reason, "empty");
    }
  });

  test("well-known strings, in any case, and trivially padded or repeated", () => {
    const cases = [
      "secret",
      "Secret",
      "PASSWORD123",
      "changeme",
      "your-256-bit-secret",
      "your-384-bit-secret",
      "your-512-bit-secret",
      "secretkey",
      "jwt_secret",
      "mysecret",
      "supersecret",
      "shhhhh",
      "keyboard cat",
      "default",
      "test",
      "123456",
      " secret ",
      "secretsecretsecretsecretsecretsecret",
      "changeme00000000000000000000000000000",
      "your-256-bit-secret-your-256-bit-secret",
    ];
    for (const secret of cases) assert.equal(checkSecret(secret)?.reason, "well_known", secret);
  });

  test("names jwt.io's public example, but never echoes a secret", () => {
    assert.equal(
      checkSecret("your-256-bit-secret")?.message,
      'the secret is the publicly known example from jwt.io ("your-256-bit-secret"); generate one with `sigil secret`',
    );
    const secret = "k9#Lm2$".repeat(2);
    const weakness = checkSecret(secret);
    assert.equal(weakness?.reason, "too_short");
    assert.equal(weakness?.message.includes(secret), false);
    assert.match(weakness?.message ?? "", /14 bytes; HS256 needs at least 32/);
  });

  test("too short for the algorithm (RFC 7518 §3.2)", () => {
    const s32 = randomBytes(32).toString("base64url").slice(0, 32);
    assert.equal(checkSecret(s32, { alg: "HS256" }), null);
    assert.equal(checkSecret(s32, { alg: "HS384" })?.reason, "too_short");
    assert.equal(checkSecret(randomBytes(63), { alg: "HS512" })?.reason, "too_short");
    assert.equal(checkSecret(randomBytes(64), { alg: "HS512" }), null);
    assert.equal(checkSecret(randomBytes(31))?.reason, "too_short");
  });

  test("low entropy: one character, a short pattern, few symbols, a run", () => {
    const cases = [
      "a".repeat(40),
      "ab".repeat(20),
      "xK9!".repeat(10),
      "0123456789abcdef".repeat(3),
      "aaaaabbbbbcccccdddddaaaaabbbbbcccccddddd",
      "abcdefghijklmnopqrstuvwxyz0123456789",
    ];
    for (const secret of cases) assert.equal(checkSecret(secret)?.reason, "low_entropy", secret);
    assert.equal(checkSecret(new Uint8Array(48))?.reason, "low_entropy");
  });

  test("strong random secrets pass, as strings and bytes", () => {
    for (let i = 0; i < 50; i++) {
      assert.equal(checkSecret(generateSecret()), null);
      assert.equal(checkSecret(randomBytes(32)), null);
      assert.equal(checkSecret(randomBytes(32).toString("hex")), null);
    }
  });
});

describe("generateSecret", () => {
  test("32 random bytes by default, base64url; refuses fewer than 32", () => {
    const secret = generateSecret();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(generateSecret(), secret);
    assert.equal(Buffer.from(generateSecret({ bytes: 64 }), "base64url").length, 64);
    assert.throws(() => generateSecret({ bytes: 16 }), code("OPTIONS_INVALID"));
    assert.throws(() => generateSecret({ bytes: 32.5 }), code("OPTIONS_INVALID"));
  });
});

describe("createSecretKey", () => {
  test("refuses weak secrets with WEAK_SECRET", () => {
    for (const secret of ["your-256-bit-secret", "secret", "short", "a".repeat(64)]) {
      assert.throws(() => createSecretKey(secret), code("WEAK_SECRET"), secret);
    }
    assert.throws(() => createSecretKey(undefined as unknown as string), code("WEAK_SECRET"));
    assert.throws(() => createSecretKey(randomBytes(32), { alg: "HS512" }), code("WEAK_SECRET"));
  });

  test("allowWeak accepts a weak secret, but never a missing or empty one", () => {
    const key = createSecretKey("your-256-bit-secret", { allowWeak: true });
    assert.equal(key.key.symmetricKeySize, 19);
    assert.throws(() => createSecretKey("", { allowWeak: true }), code("WEAK_SECRET"));
    assert.throws(() => createSecretKey(undefined as unknown as string, { allowWeak: true }), code("WEAK_SECRET"));
  });

  test("accepts a strong secret; kid is the oct thumbprint unless given", () => {
    const secret = generateSecret();
    const key = createSecretKey(secret);
    assert.equal(key.alg, "HS256");
    assert.equal(key.key.type, "secret");
    assert.equal(key.key.export().toString("utf8"), secret);
    assert.equal(key.kid, jwkThumbprint({ kty: "oct", k: Buffer.from(secret).toString("base64url") }));
    assert.equal(createSecretKey(randomBytes(64), { alg: "HS512", kid: "h1" }).kid, "h1");
    assert.throws(() => createSecretKey(secret, { alg: "RS256" as "HS256" }), code("OPTIONS_INVALID"));
  });
});
