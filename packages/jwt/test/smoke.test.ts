import assert from "node:assert/strict";
import { test } from "node:test";
import * as jwt from "@sigil/jwt";

test("package resolves", () => {
  assert.equal(typeof jwt, "object");
});
