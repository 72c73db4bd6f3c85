// `sigil users sign-out`: an operator ends every session of a user. On PostgreSQL it runs beside a
// live server, whose next check refuses the user's tokens; on PGlite it runs with the server
// stopped, like every admin command.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createTestDatabase,
  findPostgresBinaries,
  startTestServer,
  stopPostgresAfterTests,
} from "@sigil/server/testing";
import { pgliteDataDir, run, writeIn } from "./helpers.js";

const postgresSkip = findPostgresBinaries() ? false : "PostgreSQL binaries not found";
if (!postgresSkip) stopPostgresAfterTests();

describe("sigil users sign-out beside a running server (PostgreSQL)", { skip: postgresSkip }, () => {
  test("every session ends: access tokens refused at once, refresh tokens too; the output says what happened", async () => {
    const url = await createTestDatabase();
    const server = await startTestServer({ database: { url } });
    try {
      const { user, accessToken, refreshToken } = await server.signIn();
      const second = await server.login(user);
      assert.equal((await server.request("GET", "/userinfo", { token: accessToken })).status, 200);

      const result = await run(["users", "sign-out", user.email.toUpperCase()], {
        env: { DATABASE_URL: url, NO_COLOR: "1" },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(
          `^signed out ${user.email.toUpperCase()}: 2 session\\(s\\) ended; access tokens issued before \\S+Z are refused$`,
          "m",
        ),
      );
      for (const token of [accessToken, second.accessToken]) {
        const refused = await server.request("GET", "/userinfo", { token });
        assert.equal(refused.status, 401);
      }
      const refresh = await server.request("POST", "/auth/refresh", { json: { refresh_token: refreshToken } });
      assert.equal(refresh.status, 401);
      const rows = await server.db.query<{ kind: string; reason: string }>(
        "SELECT kind, reason FROM revocations WHERE user_id = $1 ORDER BY id",
        [user.id],
      );
      assert.deepEqual(
        rows.rows.map((row) => `${row.kind}:${row.reason}`),
        ["session:admin", "session:admin", "user_before:admin"],
        "the rows the revocation feed carries to every verifier",
      );
      // The user can sign in again: the password did not change.
      assert.ok((await server.login(user)).accessToken);
    } finally {
      await server.close();
    }
  });
});

test("sigil users sign-out on PGlite: an unknown email exits 1; a known user with no session, 0", async () => {
  const dir = await pgliteDataDir();
  const env = { SIGIL_DATA_DIR: dir, NO_COLOR: "1" };
  const file = await writeIn(
    dir,
    "users.jsonl",
    JSON.stringify({
      email: "erin@example.com",
      password_hash: "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
    }),
  );
  assert.equal((await run(["users", "import", file], { env })).code, 0);
  const unknown = await run(["users", "sign-out", "nobody@example.com"], { env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no user has the email "nobody@example.com"/);
  const known = await run(["users", "sign-out", "erin@example.com"], { env });
  assert.equal(known.code, 0, known.stderr);
  assert.match(known.stdout, /^signed out erin@example.com: 0 session\(s\) ended/m);
  const usage = await run(["users", "sign-out"], { env });
  assert.equal(usage.code, 2);
});
