import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkSecret } from "@sigil/jwt";
import { isOneLineError, run } from "./helpers.js";

describe("sigil secret", () => {
  test("default: 32 random bytes, base64url, strong", async () => {
    const first = await run(["secret"]);
    const second = await run(["secret"]);
    assert.equal(first.code, 0);
    const secret = first.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(secret, "base64url").length, 32);
    assert.notEqual(secret, second.stdout.trim());
    assert.equal(checkSecret(secret, { alg: "HS256" }), null);
  });

  test("--bytes 64", async () => {
    const result = await run(["secret", "--bytes", "64"]);
    assert.equal(Buffer.from(result.stdout.trim(), "base64url").length, 64);
  });

  test("refuses fewer than 32 bytes and nonsense", async () => {
    for (const bytes of ["31", "0", "-5", "abc", "1e3", "100000"]) {
      const result = await run(["secret", "--bytes", bytes]);
      assert.ok(isOneLineError(result), `${bytes}: ${result.stderr}`);
      assert.equal(result.code, 2);
    }
  });
});
