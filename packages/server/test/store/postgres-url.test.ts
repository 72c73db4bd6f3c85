import assert from "node:assert/strict";
import { test } from "node:test";
import { describePostgresUrl } from "../../src/store/postgres.js";

test("describePostgresUrl never shows the password (or user)", () => {
  const text = describePostgresUrl("postgres://sigil:s3cr3t-p%40ss@db.internal:6543/auth?sslmode=require");
  assert.equal(text, "db.internal:6543/auth");
  assert.ok(!text.includes("s3cr3t"));
  assert.equal(describePostgresUrl("postgres://localhost"), "localhost:5432/(default)");
  assert.equal(describePostgresUrl("not a url with password hunter2"), "(unparsable DATABASE_URL)");
});
