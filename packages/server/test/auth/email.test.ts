import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeEmail } from "../../src/auth/email.js";

test("normalizeEmail trims, NFC-normalizes and lower-cases the login key, keeping the typed form", () => {
  assert.deepEqual(normalizeEmail("  Alice@Example.COM "), {
    email: "Alice@Example.COM",
    normalized: "alice@example.com",
  });
  const nfd = "Zoe\u0308@example.com";
  assert.deepEqual(normalizeEmail(nfd), { email: "Zoë@example.com", normalized: "zoë@example.com" });
});

test("normalizeEmail refuses what is not an address", () => {
  for (const bad of [
    "",
    "   ",
    "plain",
    "@x.org",
    "a@",
    "a@b@c",
    "a b@c.org",
    "a\t@c.org",
    "a\u0000@c.org",
    "a\u007f@c.org",
    `${"a".repeat(250)}@c.org`,
  ]) {
    assert.equal(normalizeEmail(bad), null, JSON.stringify(bad));
  }
});
