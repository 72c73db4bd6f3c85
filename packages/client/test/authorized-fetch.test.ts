// client.fetch: Bearer token attached; on a 401 invalid_token, one refresh and one retry, never a
// loop. Failure cases first.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { EMAIL, ISSUER, PASSWORD } from "./fixtures/fake-auth-server.js";
import { FakeBrowser, record } from "./fixtures/harness.js";

const API = `${ISSUER}/api/orders`;

let browser: FakeBrowser;
afterEach(() => browser.closeAll());

async function signedInTab() {
  browser = new FakeBrowser();
  const client = browser.tab();
  await client.signIn({ email: EMAIL, password: PASSWORD });
  return client;
}

describe("client.fetch", () => {
  test("a second 401 is returned as it is: one refresh, one retry, no loop", async () => {
    const client = await signedInTab();
    browser.server.refuseAllAccessTokens = true;
    const response = await client.fetch(API);
    assert.equal(response.status, 401);
    assert.equal(browser.server.counts.api, 2);
    assert.equal(browser.server.counts.refresh, 1);
    assert.equal(client.isSignedIn, true, "the session itself was not refused");
  });

  test("a 401 that is not invalid_token, a 403 or a 401 without a challenge: no refresh, no retry", async () => {
    const client = await signedInTab();
    browser.server.force("/api/orders", {
      status: 401,
      body: { error: "invalid_request" },
      headers: { "www-authenticate": 'Bearer error="invalid_request"' },
    });
    assert.equal((await client.fetch(API)).status, 401);
    browser.server.force("/api/orders", {
      status: 403,
      headers: { "www-authenticate": 'Bearer error="insufficient_scope", scope="orders:read"' },
    });
    assert.equal((await client.fetch(API)).status, 403);
    browser.server.force("/api/orders", { status: 401, body: { error: "nope" } });
    assert.equal((await client.fetch(API)).status, 401);
    browser.server.force("/api/orders", {
      status: 401,
      headers: { "www-authenticate": 'Basic realm="x", error_description="error=invalid_token"' },
    });
    assert.equal((await client.fetch(API)).status, 401);
    assert.equal(browser.server.counts.refresh, 0);
    assert.equal(browser.server.counts.api, 0, "forced answers are not counted as API calls");
  });

  test("when the refresh itself is refused, the refusal is thrown and the session ends", async () => {
    const client = await signedInTab();
    browser.server.endSessions("session_revoked");
    await assert.rejects(client.fetch(API), { code: "SESSION_ENDED", keyword: "session_revoked" });
    assert.equal(client.isSignedIn, false);
    assert.equal(browser.server.counts.api, 1);
  });

  test("not signed in: NOT_SIGNED_IN before any request to the API", async () => {
    browser = new FakeBrowser();
    await assert.rejects(browser.tab().fetch(API), { code: "NOT_SIGNED_IN" });
    assert.equal(browser.server.counts.api, 0);
  });

  test("a 401 invalid_token (token revoked early): one refresh, then the retry succeeds", async () => {
    const client = await signedInTab();
    const before = await client.getAccessToken();
    browser.server.refuseAccessToken(before);
    const response = await client.fetch(API);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(browser.server.counts.api, 2);
    assert.equal(browser.server.counts.refresh, 1);
    assert.notEqual(await client.getAccessToken(), before);
  });

  test("the retry sends the same method and body again, with the new token", async () => {
    const client = await signedInTab();
    browser.server.refuseAccessToken(await client.getAccessToken());
    const response = await client.fetch(API, {
      method: "POST",
      headers: { "content-type": "application/json", "x-trace": "abc" },
      body: JSON.stringify({ item: 42 }),
    });
    assert.deepEqual(await response.json(), { ok: true, echo: '{"item":42}' });
    const [first, retry] = browser.server.requests.filter((r) => r.url === API);
    assert.equal(retry?.body, first?.body);
    assert.equal(retry?.headers.get("x-trace"), "abc");
    assert.notEqual(retry?.headers.get("authorization"), first?.headers.get("authorization"));
    assert.match(retry?.headers.get("authorization") ?? "", /^Bearer at-/);
  });

  test("a Request object works too, and an Authorization header of the caller's is replaced", async () => {
    const client = await signedInTab();
    const request = new Request(API, { headers: { authorization: "Bearer something-else" } });
    assert.equal((await client.fetch(request)).status, 200);
    const sent = browser.server.requests.find((r) => r.url === API);
    assert.equal(sent?.headers.get("authorization"), `Bearer ${await client.getAccessToken()}`);
  });

  test("five concurrent calls refused at once share one refresh", async () => {
    const client = await signedInTab();
    browser.server.refuseAccessToken(await client.getAccessToken());
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.fetch(API)));
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(browser.server.counts.refresh, 1);
  });

  test("authorizationHeader() gives `Bearer <token>` for an HTTP library's hook", async () => {
    const client = await signedInTab();
    assert.equal(await client.authorizationHeader(), `Bearer ${await client.getAccessToken()}`);
  });

  test("getUser() reads userinfo through the same path: refresh once on invalid_token", async () => {
    const client = await signedInTab();
    browser.server.refuseAccessToken(await client.getAccessToken());
    const user = await client.getUser();
    assert.equal(user.email, EMAIL);
    assert.match(user.sub, /^user-/);
    assert.equal(browser.server.counts.userinfo, 2);
    browser.server.refuseAllAccessTokens = true;
    await assert.rejects(client.getUser(), { code: "REQUEST_REFUSED", status: 401, action: "signIn" });
    browser.server.offline = true;
    await assert.rejects(client.getUser(), { code: "NETWORK_ERROR", action: "retry" });
  });
});

describe("single flight within a tab", () => {
  test("ten concurrent getAccessToken() calls on a page load share one refresh", async () => {
    browser = new FakeBrowser();
    const first = browser.tab();
    await first.signIn({ email: EMAIL, password: PASSWORD });
    first.close();
    browser.server.counts.refresh = 0;
    const reloaded = browser.tab({ broadcastChannel: null });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => reloaded.getAccessToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(browser.server.counts.refresh, 1);
    assert.equal(reloaded.isSignedIn, true);
  });

  test("a fresh token is served from memory: no request at all", async () => {
    const client = await signedInTab();
    const requests = browser.server.requests.length;
    await Promise.all([client.getAccessToken(), client.getAccessToken(), client.authorizationHeader()]);
    assert.equal(browser.server.requests.length, requests);
  });

  test("a sign-out while a refresh's answer is on its way is not undone by that answer", async () => {
    browser = new FakeBrowser();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = browser.tab({
      fetch: async (input, init) => {
        const response = await browser.fetch(input, init);
        if (String(input).endsWith("/auth/refresh")) await gate;
        return response;
      },
    });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    const events = record(client);
    browser.server.refuseAccessToken(await client.getAccessToken());
    const pending = client.fetch(API);
    await browser.clock.advance(0);
    assert.equal(browser.server.counts.refresh, 1, "the refresh was answered, the answer is held up");
    await client.signOut();
    release();
    await assert.rejects(pending, { code: "NOT_SIGNED_IN" });
    assert.equal(client.isSignedIn, false);
    assert.deepEqual(events, [["signedOut", { reason: "signOut" }]]);
    assert.deepEqual(browser.clock.pendingDelays(), [], "no refresh planned for the old session");
  });

  test("cookie mode sends the cookie marker header and credentials on every auth request", async () => {
    const client = await signedInTab();
    await browser.clock.advance(840_000);
    await client.signOut();
    const auth = browser.server.requests.filter((r) => r.url.startsWith(`${ISSUER}/auth/`));
    assert.deepEqual(
      auth.map((r) => new URL(r.url).pathname),
      ["/auth/login", "/auth/refresh", "/auth/logout"],
    );
    for (const r of auth) {
      assert.equal(r.headers.get("sigil-refresh-cookie"), "1");
      assert.equal(r.credentials, "include");
      assert.ok(!r.body.includes("refresh_token"), "no refresh token in a cookie-mode body");
    }
  });
});
