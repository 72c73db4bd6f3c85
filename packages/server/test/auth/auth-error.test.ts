import assert from "node:assert/strict";
import { test } from "node:test";
import { AUTH_ERRORS, AuthError } from "../../src/auth/auth-error.js";

test("every refresh refusal's description starts with its own keyword", () => {
  for (const code of ["refresh_token_reused", "session_revoked", "session_expired", "unknown_token"] as const) {
    const error = new AuthError(code);
    assert.equal(error.error, "invalid_grant");
    assert.equal(error.status, 401);
    assert.ok(error.description.startsWith(`${code}:`));
    const others = ["refresh_token_reused", "session_revoked", "session_expired", "unknown_token"].filter(
      (c) => c !== code,
    );
    for (const other of others) assert.ok(!error.description.includes(other));
  }
});

test("the catalogue maps to 4xx/5xx statuses with stable public codes; internal reasons stay off the description", () => {
  for (const [code, entry] of Object.entries(AUTH_ERRORS)) {
    assert.ok(entry.status >= 400 && entry.status < 600, code);
    assert.match(entry.error, /^[a-z_]+$/);
  }
  const error = new AuthError("invalid_token", { internalReason: "TOKEN_EXPIRED" });
  assert.equal(error.internalReason, "TOKEN_EXPIRED");
  assert.ok(!error.description.includes("EXPIRED"));
  assert.equal(new AuthError("invalid_credentials").description, new AuthError("invalid_credentials").description);
});
