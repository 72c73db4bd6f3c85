import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  deriveSuccessorSecret,
  formatRefreshToken,
  generateRefreshToken,
  hashRefreshSecret,
  parseRefreshToken,
  refreshSecretMatches,
} from "../../src/auth/refresh-token-format.js";

describe("refresh token format", () => {
  test("a generated token is <22-char id>.<43-char secret> (128 + 256 random bits) and parses back", () => {
    const token = generateRefreshToken();
    const text = formatRefreshToken(token);
    assert.match(text, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(parseRefreshToken(text), token);
    assert.notDeepEqual(generateRefreshToken(), token);
  });

  test("anything else does not parse (and so never reaches the database)", () => {
    const good = formatRefreshToken(generateRefreshToken());
    for (const bad of [
      "",
      ".",
      good.slice(1),
      `${good}x`,
      `${good}.x`,
      ` ${good}`,
      good.replace(".", "_"),
      `${good.slice(0, -1)}=`,
      good.replace(/^./, "+"),
    ]) {
      assert.equal(parseRefreshToken(bad), null, JSON.stringify(bad));
    }
  });

  test("only SHA-256 of the secret is stored, compared in constant time", () => {
    const { secret } = generateRefreshToken();
    const stored = hashRefreshSecret(secret);
    assert.equal(stored.length, 32);
    assert.ok(refreshSecretMatches(secret, stored));
    assert.ok(refreshSecretMatches(secret, new Uint8Array(stored)), "PGlite returns Uint8Array");
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    assert.ok(!refreshSecretMatches(flipped, stored));
    assert.ok(!refreshSecretMatches(secret, stored.subarray(0, 31)));
  });

  test("the successor is deterministic per (key, parent) and changes with either", () => {
    const key = Buffer.alloc(32, 1);
    const parent = generateRefreshToken();
    const a = deriveSuccessorSecret(key, parent);
    assert.equal(deriveSuccessorSecret(key, parent), a);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(deriveSuccessorSecret(Buffer.alloc(32, 2), parent), a);
    assert.notEqual(deriveSuccessorSecret(key, { ...parent, secret: generateRefreshToken().secret }), a);
    assert.notEqual(deriveSuccessorSecret(key, { ...parent, id: generateRefreshToken().id }), a);
  });
});
