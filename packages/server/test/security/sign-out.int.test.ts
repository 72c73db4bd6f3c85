// A first-party app can always sign out: with its refresh token when its access token has
// expired, at /auth/logout or by RFC 7009 revocation naming the first-party client.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase, startTestServer, type TestServer } from "../../src/testing/index.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describeEachDatabase("signing out without a live access token", (getDb) => {
  let server: TestServer;
  let clock = Date.now();

  before(async () => {
    server = await startTestServer({ database: getDb(), now: () => clock });
  });
  after(() => server.close());

  test("POST /auth/logout with the refresh token, after the access token expired: 204, the session ends", async () => {
    const session = await server.signIn();
    clock += (server.config.accessTokenTtl + server.config.clockTolerance + 1) * 1000;
    const expired = await server.request("POST", "/auth/logout", { token: session.accessToken });
    assert.equal(expired.status, 401, "the expired access token cannot do it");
    const out = await server.request("POST", "/auth/logout", { json: { refresh_token: session.refreshToken } });
    assert.equal(out.status, 204);
    const refresh = await server.request("POST", "/auth/refresh", { json: { refresh_token: session.refreshToken } });
    assert.match(refresh.body.error_description, /^session_revoked: /);
    // Idempotent, and no oracle: an unknown or ended token gets 204 too.
    assert.equal(
      (await server.request("POST", "/auth/logout", { json: { refresh_token: session.refreshToken } })).status,
      204,
    );
    assert.equal(
      (await server.request("POST", "/auth/logout", { json: { refresh_token: "x".repeat(66) } })).status,
      204,
    );
    // Neither credential: still 401, with the challenge.
    const none = await server.request("POST", "/auth/logout");
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), "Bearer");
  });

  test("RFC 7009 revocation of a first-party refresh token with client_id=first-party", async () => {
    const session = await server.signIn();
    const revoked = await server.request("POST", "/oauth/revoke", {
      body: new URLSearchParams({ token: session.refreshToken, client_id: "first-party" }).toString(),
      headers: FORM,
    });
    assert.equal(revoked.status, 200);
    const refresh = await server.request("POST", "/auth/refresh", { json: { refresh_token: session.refreshToken } });
    assert.match(refresh.body.error_description, /^session_revoked: /);
    const access = await server.signIn();
    const byAccess = await server.request("POST", "/oauth/revoke", {
      body: new URLSearchParams({ token: access.accessToken, client_id: "first-party" }).toString(),
      headers: FORM,
    });
    assert.equal(byAccess.status, 200);
    assert.equal((await server.request("GET", "/userinfo", { token: access.accessToken })).status, 401);
  });

  test("discovery advertises exactly the revocation methods that work", async () => {
    const metadata = await server.request("GET", "/.well-known/oauth-authorization-server");
    assert.deepEqual(metadata.body.revocation_endpoint_auth_methods_supported, [
      "client_secret_basic",
      "client_secret_post",
      "none",
    ]);
  });
});
