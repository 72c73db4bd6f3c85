import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase } from "../../src/testing/index.js";
import { call, GOOD_PASSWORD, registerAndLogin, startTestServer, type TestServer } from "../support/test-server.js";

async function loginAgain(server: TestServer, email: string, password = GOOD_PASSWORD) {
  const response = await call(server, "POST", "/auth/login", {
    json: { email, password },
    headers: { "user-agent": "second-device/1.0" },
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { access: response.body.access_token as string, refresh: response.body.refresh_token as string };
}

describeEachDatabase("logout-all, sessions, password change", (getDb) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(getDb());
  });
  after(() => server.close());

  test("logout-all ends every session at once: all access tokens refused, all refresh tokens session_revoked", async () => {
    const user = await registerAndLogin(server);
    const other = await loginAgain(server, user.email);
    const out = await call(server, "POST", "/auth/logout-all", { token: user.access });
    assert.equal(out.status, 204);
    for (const token of [user.access, other.access]) {
      assert.equal((await call(server, "GET", "/userinfo", { token })).status, 401);
    }
    for (const refresh_token of [user.refresh, other.refresh]) {
      const response = await call(server, "POST", "/auth/refresh", { json: { refresh_token } });
      assert.match(response.body.error_description, /^session_revoked:/);
    }
    const kinds = await getDb().query<{ kind: string; n: number }>(
      "SELECT kind, count(*)::int AS n FROM revocations WHERE user_id = $1 GROUP BY kind ORDER BY kind",
      [user.userId],
    );
    assert.deepEqual(kinds.rows, [
      { kind: "session", n: 2 },
      { kind: "user_before", n: 1 },
    ]);
    // A new login right after (even within the same second) works.
    const fresh = await loginAgain(server, user.email);
    assert.equal((await call(server, "GET", "/userinfo", { token: fresh.access })).status, 200);
  });

  test("GET /auth/sessions lists live sessions with created, last used, user agent, IP and which is current", async () => {
    const user = await registerAndLogin(server);
    const other = await loginAgain(server, user.email);
    const response = await call(server, "GET", "/auth/sessions", { token: user.access });
    assert.equal(response.status, 200);
    assert.equal(response.body.sessions.length, 2);
    const current = response.body.sessions.filter((s: { current: boolean }) => s.current);
    assert.equal(current.length, 1);
    const second = response.body.sessions.find((s: { current: boolean }) => !s.current);
    assert.equal(second.user_agent, "second-device/1.0");
    assert.equal(second.ip, "127.0.0.1");
    assert.ok(!Number.isNaN(Date.parse(second.created_at)));
    assert.ok(!Number.isNaN(Date.parse(second.last_used_at)));
    assert.deepEqual(Object.keys(second).sort(), [
      "created_at",
      "current",
      "expires_at",
      "id",
      "ip",
      "last_used_at",
      "user_agent",
    ]);
    // DELETE ends that one session only.
    const deleted = await call(server, "DELETE", `/auth/sessions/${second.id}`, { token: user.access });
    assert.equal(deleted.status, 204);
    assert.equal((await call(server, "GET", "/userinfo", { token: other.access })).status, 401);
    assert.equal((await call(server, "GET", "/userinfo", { token: user.access })).status, 200);
    const again = await call(server, "DELETE", `/auth/sessions/${second.id}`, { token: user.access });
    assert.equal(again.status, 204, "ending an ended session is idempotent");
    const listed = await call(server, "GET", "/auth/sessions", { token: user.access });
    assert.equal(listed.body.sessions.length, 1);
  });

  test("DELETE another user's session → 404, and it stays alive", async () => {
    const alice = await registerAndLogin(server);
    const bob = await registerAndLogin(server);
    const bobSessions = await call(server, "GET", "/auth/sessions", { token: bob.access });
    const bobSession = bobSessions.body.sessions[0].id;
    const response = await call(server, "DELETE", `/auth/sessions/${bobSession}`, { token: alice.access });
    assert.equal(response.status, 404);
    assert.equal(response.body.error, "not_found");
    assert.equal((await call(server, "GET", "/userinfo", { token: bob.access })).status, 200);
  });

  test("password change: new password works, old does not, other sessions end, this one continues", async () => {
    const user = await registerAndLogin(server);
    const other = await loginAgain(server, user.email);
    const newPassword = "a brand new passphrase 42";
    const changed = await call(server, "POST", "/auth/password", {
      token: user.access,
      json: { current_password: GOOD_PASSWORD, new_password: newPassword },
    });
    assert.equal(changed.status, 204, JSON.stringify(changed.body));
    assert.equal((await call(server, "GET", "/userinfo", { token: other.access })).status, 401);
    const otherRefresh = await call(server, "POST", "/auth/refresh", { json: { refresh_token: other.refresh } });
    assert.match(otherRefresh.body.error_description, /^session_revoked:/);
    assert.equal((await call(server, "GET", "/userinfo", { token: user.access })).status, 200);
    assert.equal((await call(server, "POST", "/auth/refresh", { json: { refresh_token: user.refresh } })).status, 200);
    const oldLogin = await call(server, "POST", "/auth/login", {
      json: { email: user.email, password: GOOD_PASSWORD },
    });
    assert.equal(oldLogin.status, 401);
    await loginAgain(server, user.email, newPassword);
  });

  test("password change with a wrong current password → 403, or a weak new one → 400 naming the rule; nothing changes", async () => {
    const user = await registerAndLogin(server);
    const before = await getDb().query<{ h: string }>("SELECT password_hash AS h FROM users WHERE id = $1", [
      user.userId,
    ]);
    const wrong = await call(server, "POST", "/auth/password", {
      token: user.access,
      json: { current_password: "wrong wrong wrong", new_password: "another fine passphrase" },
    });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, "invalid_current_password");
    const weak = await call(server, "POST", "/auth/password", {
      token: user.access,
      json: { current_password: GOOD_PASSWORD, new_password: "short" },
    });
    assert.equal(weak.status, 400);
    assert.match(weak.body.error_description, /^too_short: /);
    const afterRows = await getDb().query<{ h: string }>("SELECT password_hash AS h FROM users WHERE id = $1", [
      user.userId,
    ]);
    assert.equal(afterRows.rows[0]?.h, before.rows[0]?.h);
  });

  test("every Bearer endpoint refuses a missing token (bare challenge) and a bad one (invalid_token)", async () => {
    const endpoints: Array<[string, string, unknown?]> = [
      ["POST", "/auth/logout"],
      ["POST", "/auth/logout-all"],
      ["GET", "/auth/sessions"],
      ["DELETE", "/auth/sessions/abc"],
      ["POST", "/auth/password", { current_password: "x", new_password: "y" }],
      ["GET", "/userinfo"],
    ];
    for (const [method, path, json] of endpoints) {
      const missing = await call(server, method, path, json ? { json } : {});
      assert.equal(missing.status, 401, `${method} ${path}`);
      assert.equal(missing.headers.get("www-authenticate"), "Bearer");
      const bad = await call(server, method, path, { token: "eyJhbGciOiJub25lIn0.e30.", ...(json ? { json } : {}) });
      assert.equal(bad.status, 401, `${method} ${path}`);
      assert.equal(bad.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    }
  });
});
