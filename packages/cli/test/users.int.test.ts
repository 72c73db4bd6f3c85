// `sigil users import` against a real PGlite data directory.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pgliteDataDir, run, writeIn } from "./helpers.js";

// A well-formed bcrypt hash ($2b$, cost 10, 22 characters of salt and 31 of hash).
const BCRYPT = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

test("sigil users import: a report line per line, a summary, exit 1 on a rejected line, nothing imported twice", async () => {
  const dir = await pgliteDataDir();
  const env = { SIGIL_DATA_DIR: dir };
  const file = await writeIn(
    dir,
    "users.jsonl",
    [
      JSON.stringify({ email: "Alice@Example.com", password_hash: BCRYPT, roles: ["admin"] }),
      "",
      JSON.stringify({ email: "alice@example.com", password_hash: BCRYPT }),
      "{not json",
      JSON.stringify({ email: "bob@example.com", password_hash: "plaintext-password" }),
      JSON.stringify({ email: "carol@example.com", password_hash: BCRYPT, admin: true }),
      JSON.stringify({ email: "dave@example.com", password_hash: BCRYPT.replace("$2b$", "$2y$") }),
    ].join("\n"),
  );
  const first = await run(["users", "import", file], { env });
  assert.equal(first.code, 1, first.stderr);
  assert.equal(first.stderr, "");
  assert.deepEqual(first.stdout.trimEnd().split("\n"), [
    "line 1: imported alice@example.com",
    "line 3: skipped: already exists (alice@example.com)",
    "line 4: rejected: not valid JSON",
    "line 5: rejected: password_hash is neither bcrypt ($2a$, $2b$, $2y$) nor argon2id ($argon2id$)",
    'line 6: rejected: unknown field "admin"',
    "line 7: imported dave@example.com",
    "2 imported, 1 skipped, 3 rejected",
  ]);
  assert.doesNotMatch(first.stdout, /plaintext-password|N9qo8uLO/, "a hash is never echoed");

  // The same users again, from stdin: nothing is imported twice, and no rejection means exit 0.
  const again = await run(["users", "import", "-"], {
    env,
    stdin: `${JSON.stringify({ email: "dave@example.com", password_hash: BCRYPT })}\r\n`,
  });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, "line 1: skipped: already exists (dave@example.com)\n0 imported, 1 skipped, 0 rejected\n");
});
