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

test("normalizeEmail refuses characters that do not show, so two accounts cannot look alike", () => {
  for (const invisible of [
    "\u200b", // zero-width space
    "\u200c", // zero-width non-joiner
    "\u200d", // zero-width joiner
    "\u00ad", // soft hyphen
    "\u2060", // word joiner
    "\ufeff", // zero-width no-break space (BOM)
    "\u202e", // right-to-left override
    "\u2066", // left-to-right isolate
    "\u00a0", // no-break space
    "\u3000", // ideographic space
    "\ue000", // private use
  ]) {
    assert.equal(normalizeEmail(`ali${invisible}ce@example.com`), null, JSON.stringify(invisible));
  }
  assert.ok(normalizeEmail("zoë.ñandú@exämple.com"), "visible letters of any script are fine");
});
