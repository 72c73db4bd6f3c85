import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { KeyEncryptionError, openPrivateKey, sealPrivateKey } from "../../src/keys/key-encryption.js";

const pkcs8 = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" });
const kek = randomBytes(32);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KeyEncryptionError);
    assert.match(err.message, /SIGIL_KEY_ENCRYPTION_KEY|format/);
    return err.code;
  }
  assert.fail("expected a KeyEncryptionError");
}

describe("key encryption at rest", () => {
  test("a wrong KEK is refused with a message naming the setting", () => {
    const sealed = sealPrivateKey(pkcs8, { kid: "k1", kek });
    assert.equal(
      codeOf(() => openPrivateKey(sealed, { kid: "k1", kek: randomBytes(32) })),
      "KEK_MISMATCH",
    );
  });

  test("a ciphertext moved to another row (kid swap) does not open", () => {
    const sealed = sealPrivateKey(pkcs8, { kid: "k1", kek });
    assert.equal(
      codeOf(() => openPrivateKey(sealed, { kid: "k2", kek })),
      "KEK_MISMATCH",
    );
  });

  test("every tampered part is detected", () => {
    const sealed = sealPrivateKey(pkcs8, { kid: "k1", kek });
    const parts = sealed.split(".");
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index] ?? "", "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const tampered = parts.map((part, i) => (i === index ? bytes.toString("base64url") : part)).join(".");
      const code = codeOf(() => openPrivateKey(tampered, { kid: "k1", kek }));
      assert.ok(code === "KEK_MISMATCH" || code === "STORED_KEY_MALFORMED", code);
    }
    assert.equal(
      codeOf(() => openPrivateKey("v2.a.b.c", { kid: "k1", kek })),
      "STORED_KEY_MALFORMED",
    );
    assert.equal(
      codeOf(() => openPrivateKey(parts.slice(0, 3).join("."), { kid: "k1", kek })),
      "STORED_KEY_MALFORMED",
    );
  });

  test("a plain row with a KEK configured, or a sealed row without one, stops the start", () => {
    const plain = sealPrivateKey(pkcs8, { kid: "k1", kek: undefined });
    assert.equal(
      codeOf(() => openPrivateKey(plain, { kid: "k1", kek })),
      "STORED_KEY_PLAIN",
    );
    const sealed = sealPrivateKey(pkcs8, { kid: "k1", kek });
    assert.equal(
      codeOf(() => openPrivateKey(sealed, { kid: "k1", kek: undefined })),
      "KEK_REQUIRED",
    );
  });

  test("a KEK of the wrong size is refused", () => {
    assert.equal(
      codeOf(() => sealPrivateKey(pkcs8, { kid: "k1", kek: randomBytes(16) })),
      "KEK_INVALID",
    );
  });

  test("round trip under a KEK, with a fresh IV each time", () => {
    const a = sealPrivateKey(pkcs8, { kid: "k1", kek });
    const b = sealPrivateKey(pkcs8, { kid: "k1", kek });
    assert.match(a, /^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes(pkcs8.toString("base64url")));
    assert.deepEqual(openPrivateKey(a, { kid: "k1", kek }), pkcs8);
    assert.deepEqual(openPrivateKey(b, { kid: "k1", kek }), pkcs8);
  });

  test("development rows without a KEK round trip as plain", () => {
    const plain = sealPrivateKey(pkcs8, { kid: "k1", kek: undefined });
    assert.match(plain, /^plain\./);
    assert.deepEqual(openPrivateKey(plain, { kid: "k1", kek: undefined }), pkcs8);
  });
});
