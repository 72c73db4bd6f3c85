import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { JWT_ERRORS } from "@sigil/jwt";
import { isVerifierError, VERIFIER_ERRORS, VerifierError } from "../src/index.js";

describe("verifier error catalogue", () => {
  test("every code has a summary and a fix, and no code shadows one of @sigil/jwt", () => {
    for (const [code, entry] of Object.entries(VERIFIER_ERRORS)) {
      assert.match(code, /^[A-Z][A-Z_]+$/);
      assert.ok(entry.summary.length > 10 && entry.summary.endsWith("."), code);
      assert.ok(entry.fix.length > 10, code);
      assert.equal(code in JWT_ERRORS, false, `${code} is also a @sigil/jwt code`);
    }
  });

  test("VerifierError carries code, details and fix; the default message is the summary", () => {
    const error = new VerifierError("TOKEN_REVOKED", undefined, { revocation: "session" });
    assert.equal(error.name, "VerifierError");
    assert.equal(error.code, "TOKEN_REVOKED");
    assert.equal(error.message, VERIFIER_ERRORS.TOKEN_REVOKED.summary);
    assert.equal(error.fix, VERIFIER_ERRORS.TOKEN_REVOKED.fix);
    assert.deepEqual(error.details, { revocation: "session" });
    assert.ok(isVerifierError(error, "TOKEN_REVOKED"));
    assert.ok(!isVerifierError(error, "REVOCATION_STALE"));
    assert.ok(!isVerifierError(new Error("x")));
  });
});
