// The "Done when" for the CLI, verbatim.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JWT_IO_TOKEN, run } from "./helpers.js";

test("decode of the jwt.io example shows its parts and warns that it has no expiry", async () => {
  const result = await run(["decode", JWT_IO_TOKEN]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /"alg": "HS256"/);
  assert.match(result.stdout, /"sub": "1234567890"/);
  assert.match(result.stdout, /"name": "John Doe"/);
  assert.match(result.stdout, /"iat": 1516239022/);
  assert.match(result.stdout, /no exp claim: the token never expires/);
  assert.match(result.stdout, /Signature NOT checked/);
});

test("verify with --alg HS256 and your-256-bit-secret does not accept it, says no exp, warns about the secret", async () => {
  const result = await run(["verify", JWT_IO_TOKEN, "--alg", "HS256", "--secret-env", "S"], {
    env: { S: "your-256-bit-secret" },
  });
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^error CLAIM_MISSING: .*exp/m);
  assert.match(result.stdout, /verification requires exp; pass --allow-no-exp/);
  assert.match(result.stderr, /WARNING: the secret in S is weak \(well_known\): .*publicly known example/);
  assert.doesNotMatch(result.stdout, /^valid/m);
});

test("the same secret with --allow-no-exp: the signature is right, so it is valid — still with the warning", async () => {
  const result = await run(["verify", JWT_IO_TOKEN, "--alg", "HS256", "--secret-env", "S", "--allow-no-exp"], {
    env: { S: "your-256-bit-secret" },
  });
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /^valid/);
  assert.match(result.stderr, /WARNING: .*publicly known example/);
});

test("a wrong secret is rejected by the signature, not by the missing exp", async () => {
  const result = await run(["verify", JWT_IO_TOKEN, "--alg", "HS256", "--secret-env", "S", "--allow-no-exp"], {
    env: { S: "a-different-secret-that-is-long-enough-0123456789" },
  });
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^error SIGNATURE_INVALID/);
});
