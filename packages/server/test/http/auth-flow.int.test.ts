import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase } from "../../src/testing/index.js";
import {
  call,
  GOOD_PASSWORD,
  registerAndLogin,
  startTestServer,
  type TestServer,
  uniqueEmail,
} from "../support/test-server.js";

describeEachDatabase("register, login, userinfo, refresh, logout", (getDb) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(getDb());
  });
  after(() => server.close());

  test("register → 202 check_your_email; the same email again (any case) gets the same answer and no second account", async () => {
    const email = uniqueEmail("Reg");
    const first = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(first.status, 202);
    assert.deepEqual(first.body, { status: "check_your_email" });
    const again = await call(server, "POST", "/auth/register", {
      json: { email: email.toUpperCase(), password: GOOD_PASSWORD },
    });
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, first.body);
    const rows = await getDb().query("SELECT 1 FROM users WHERE email_normalized = $1", [email.toLowerCase()]);
    assert.equal(rows.rows.length, 1);
  });

  test("register with a weak password → 400 naming the rule; nothing stored", async () => {
    const email = uniqueEmail("weak");
    for (const [password, rule] of [
      ["short", "too_short"],
      ["password123", "common"],
    ] as const) {
      const response = await call(server, "POST", "/auth/register", { json: { email, password } });
      assert.equal(response.status, 400);
      assert.equal(response.body.error, "weak_password");
      assert.match(response.body.error_description, new RegExp(`^${rule}: `));
    }
    const stored = await getDb().query("SELECT 1 FROM users WHERE email_normalized = $1", [email.toLowerCase()]);
    assert.equal(stored.rows.length, 0);
  });

  test("login → 200 token pair; the access token is an RFC 9068 at+jwt without personal data", async () => {
    const email = uniqueEmail();
    await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    const response = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.deepEqual(Object.keys(response.body).sort(), [
      "access_token",
      "device_token",
      "expires_in",
      "refresh_token",
      "token_type",
    ]);
    assert.equal(response.body.token_type, "Bearer");
    assert.equal(response.body.expires_in, 900);
    assert.match(response.body.refresh_token, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const [headerPart, payloadPart] = response.body.access_token.split(".");
    const header = JSON.parse(Buffer.from(headerPart, "base64url").toString());
    const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString());
    assert.equal(header.typ, "at+jwt");
    assert.equal(header.alg, "EdDSA");
    assert.equal(typeof header.kid, "string");
    assert.deepEqual(Object.keys(payload).sort(), [
      "aud",
      "client_id",
      "exp",
      "iat",
      "iss",
      "jti",
      "roles",
      "sid",
      "sub",
    ]);
    assert.equal(payload.iss, server.config.issuer);
    assert.equal(payload.aud, server.config.audience);
    assert.equal(payload.exp - payload.iat, 900);
    assert.ok(!JSON.stringify(payload).includes(email), "no email in the token");
  });

  test("bad credentials → 401 invalid_grant, identical for an unknown email and a wrong password", async () => {
    const { email } = await registerAndLogin(server);
    const wrong = await call(server, "POST", "/auth/login", { json: { email, password: "not the password" } });
    const unknown = await call(server, "POST", "/auth/login", {
      json: { email: uniqueEmail("nobody"), password: "not the password" },
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error, "invalid_grant");
    assert.equal(wrong.headers.get("www-authenticate"), null);
  });

  test("userinfo with the access token → {sub, email, email_verified, roles}; no-store", async () => {
    const user = await registerAndLogin(server);
    const response = await call(server, "GET", "/userinfo", { token: user.access });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { sub: user.userId, email: user.email, email_verified: false, roles: [] });
  });

  test("userinfo without a token → 401 with a bare Bearer challenge", async () => {
    const response = await call(server, "GET", "/userinfo");
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
    assert.equal(response.body.error, "missing_token");
  });

  test("userinfo with a bad token, a bad scheme spelling or a tampered token → 401 invalid_token, reason not disclosed", async () => {
    const user = await registerAndLogin(server);
    const tampered = `${user.access.slice(0, -4)}AAAA`;
    for (const authorization of [`Bearer ${tampered}`, "Bearer not-a-jwt", "Bearer a.b.c", "Bearer  ", "Bearer !!"]) {
      const response = await call(server, "GET", "/userinfo", { headers: { authorization } });
      assert.equal(response.status, 401, authorization);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      assert.deepEqual(response.body, { error: "invalid_token", error_description: "The access token is invalid." });
    }
    const lower = await call(server, "GET", "/userinfo", { headers: { authorization: `bearer ${user.access}` } });
    assert.equal(lower.status, 200, "the scheme is case-insensitive");
  });

  test("refresh → a new pair; the new refresh token works; the new access token works", async () => {
    const user = await registerAndLogin(server);
    const first = await call(server, "POST", "/auth/refresh", { json: { refresh_token: user.refresh } });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refresh_token, user.refresh);
    assert.notEqual(first.body.access_token, user.access);
    const second = await call(server, "POST", "/auth/refresh", { json: { refresh_token: first.body.refresh_token } });
    assert.equal(second.status, 200);
    const info = await call(server, "GET", "/userinfo", { token: second.body.access_token });
    assert.equal(info.status, 200);
  });

  test("refresh with an unknown or malformed token → 401 invalid_grant, unknown_token", async () => {
    for (const refresh_token of ["nope", "A".repeat(22) + "." + "B".repeat(43)]) {
      const response = await call(server, "POST", "/auth/refresh", { json: { refresh_token } });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, "invalid_grant");
      assert.match(response.body.error_description, /^unknown_token:/);
    }
  });

  test("logout → 204; the access token is refused at once; the refresh token says session_revoked; logout again is fine", async () => {
    const user = await registerAndLogin(server);
    const out = await call(server, "POST", "/auth/logout", { token: user.access });
    assert.equal(out.status, 204);
    const info = await call(server, "GET", "/userinfo", { token: user.access });
    assert.equal(info.status, 401);
    assert.equal(info.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    const refresh = await call(server, "POST", "/auth/refresh", { json: { refresh_token: user.refresh } });
    assert.equal(refresh.status, 401);
    assert.match(refresh.body.error_description, /^session_revoked:/);
    // Idempotent: a retried logout is answered 204 again and writes nothing more.
    const again = await call(server, "POST", "/auth/logout", { token: user.access });
    assert.equal(again.status, 204);
    const rows = await getDb().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM revocations WHERE kind = 'session' AND user_id = $1",
      [user.userId],
    );
    assert.equal(rows.rows[0]?.n, 1);
  });
});
