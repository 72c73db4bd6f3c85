import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBearer } from "../../src/http/bearer.js";

test("parseBearer: RFC 6750 §2.1 credentials, scheme case-insensitive", () => {
  assert.equal(parseBearer("Bearer abc.def-_~+/=="), "abc.def-_~+/==");
  assert.equal(parseBearer("bearer abc"), "abc");
  assert.equal(parseBearer("BEARER   abc"), "abc");
});

test("parseBearer: no Bearer credentials → null (challenge without error)", () => {
  assert.equal(parseBearer(undefined), null);
  assert.equal(parseBearer("Basic dXNlcjpwYXNz"), null);
  assert.equal(parseBearer("Bearerabc"), null);
});

test("parseBearer: a malformed Bearer value → malformed (invalid_token)", () => {
  for (const value of ["Bearer", "Bearer ", "Bearer a b", "Bearer a=b", 'Bearer "abc"', "Bearer abc,def", "Bearer é"]) {
    assert.equal(parseBearer(value), "malformed", JSON.stringify(value));
  }
});
