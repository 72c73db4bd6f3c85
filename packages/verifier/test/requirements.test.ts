import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requireRole, requireScope } from "../src/index.js";

describe("requireScope / requireRole", () => {
  test("every scope is required; roles are alternatives", () => {
    const scopes = requireScope("read", "write");
    assert.equal(scopes.isMetBy({ scope: "write read admin" }), true);
    assert.equal(scopes.isMetBy({ scope: "read" }), false);
    assert.equal(scopes.isMetBy({ scope: "readwrite" }), false);
    assert.equal(scopes.isMetBy({}), false);
    const roles = requireRole("admin", "auditor");
    assert.equal(roles.isMetBy({ roles: ["auditor"] }), true);
    assert.equal(roles.isMetBy({ roles: ["user"] }), false);
    assert.equal(roles.isMetBy({ roles: "admin" as unknown as string[] }), false);
  });

  test("names are checked once, when the requirement is built", () => {
    assert.throws(() => requireScope(), TypeError);
    assert.throws(() => requireScope("a b"), TypeError);
    assert.throws(() => requireRole('x"y'), TypeError);
  });
});
