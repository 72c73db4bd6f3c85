// The refresh is planned from expires_in on the server's clock, with relative timers: a local
// clock 8 hours off changes nothing. A "retry" failure keeps the session and retries with capped
// backoff, at once when the browser is back online. Failure cases first.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { isSigilClientError } from "../src/index.js";
import { EMAIL, PASSWORD } from "./fixtures/fake-auth-server.js";
import { FakeBrowser, HOUR, record, typesOf } from "./fixtures/harness.js";

let browser: FakeBrowser;
afterEach(() => browser.closeAll());

describe("a refresh that fails for a retry reason keeps the session", () => {
  test("offline at the planned refresh: error events, no signedOut, backoff; back online: refreshed at once", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    const token = await client.getAccessToken();
    const events = record(client);
    browser.server.offline = true;
    await browser.clock.advance(840_000);
    assert.deepEqual(typesOf(events), ["error"]);
    assert.ok(isSigilClientError(events[0]?.[1], "NETWORK_ERROR"));
    assert.equal(client.isSignedIn, true);
    assert.equal(await client.getAccessToken(), token, "still valid for a minute: served despite the failed refresh");
    assert.deepEqual(browser.clock.pendingDelays(), [2000], "first retry after 2 s");
    await browser.clock.advance(2000);
    assert.deepEqual(browser.clock.pendingDelays(), [4000], "then 4 s");
    await browser.clock.advance(4000 + 8000 + 16_000 + 32_000 + 60_000);
    assert.deepEqual(browser.clock.pendingDelays(), [60_000], "capped at one minute");
    // The access token has expired meanwhile; the session has not.
    await assert.rejects(client.getAccessToken(), { code: "NETWORK_ERROR", action: "retry" });
    assert.equal(client.isSignedIn, true);
    browser.server.offline = false;
    browser.window.goOnline();
    await browser.clock.advance(0);
    assert.equal(typesOf(events).at(-1), "tokenRefreshed");
    assert.notEqual(await client.getAccessToken(), token);
    assert.ok(!typesOf(events).includes("signedOut"));
    assert.deepEqual(browser.clock.pendingDelays(), [840_000], "back on the normal plan");
  });

  test("503 with Retry-After 30 at the planned refresh: the next attempt waits 30 s, not 2 s", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    browser.server.force("/auth/refresh", {
      status: 503,
      body: { error: "temporarily_unavailable" },
      headers: { "retry-after": "30" },
    });
    await browser.clock.advance(840_000);
    assert.deepEqual(browser.clock.pendingDelays(), [30_000]);
    await browser.clock.advance(30_000);
    assert.equal(browser.server.counts.refresh, 1, "the forced 503 did not reach the counter; this one did");
    assert.equal(client.isSignedIn, true);
  });

  test("a 429 is a retry too; an online event with nothing failed does nothing", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    browser.window.goOnline();
    await browser.clock.advance(0);
    assert.equal(browser.server.counts.refresh, 0);
    browser.server.force("/auth/refresh", {
      status: 429,
      body: { error: "slow_down" },
      headers: { "retry-after": "9" },
    });
    await browser.clock.advance(840_000);
    assert.deepEqual(browser.clock.pendingDelays(), [9000]);
    assert.equal(client.isSignedIn, true);
  });

  test("close() stops the planned refresh and lets go of the online listener", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.equal(browser.window.listenerCount, 1);
    client.close();
    assert.deepEqual(browser.clock.pendingDelays(), []);
    assert.equal(browser.window.listenerCount, 0);
    await browser.clock.advance(HOUR);
    assert.equal(browser.server.counts.refresh, 0);
  });
});

describe("timing on the server's clock", () => {
  for (const [label, skewMs] of [
    ["8 h fast", 8 * HOUR],
    ["8 h slow", -8 * HOUR],
    ["right", 0],
  ] as const) {
    test(`local clock ${label}: the token is used until 60 s before expiry, then refreshed exactly then`, async () => {
      browser = new FakeBrowser();
      const client = browser.tab({ skewMs });
      await client.signIn({ email: EMAIL, password: PASSWORD });
      const token = await client.getAccessToken();
      assert.deepEqual(browser.clock.pendingDelays(), [840_000]);
      await browser.clock.advance(839_999);
      assert.equal(await client.getAccessToken(), token);
      assert.equal(browser.server.counts.refresh, 0);
      await browser.clock.advance(1);
      assert.equal(browser.server.counts.refresh, 1);
      const next = await client.getAccessToken();
      assert.notEqual(next, token);
      const response = await client.fetch("http://127.0.0.1:3000/api/orders");
      assert.equal(response.status, 200, "the new token is valid by the server's clock");
    });
  }

  test("default margin: a tenth of a short lifetime (300 s token → refresh at 270 s)", async () => {
    browser = new FakeBrowser();
    browser.server.accessTtlSeconds = 300;
    const client = browser.tab();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.deepEqual(browser.clock.pendingDelays(), [270_000]);
  });

  test("refreshMargin is honoured, but never more than half the lifetime (no refresh storm)", async () => {
    browser = new FakeBrowser();
    const client = browser.tab({ refreshMargin: 120 });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.deepEqual(browser.clock.pendingDelays(), [780_000]);
    client.close();
    const greedy = browser.tab({ refreshMargin: 3600 });
    await greedy.signIn({ email: EMAIL, password: PASSWORD });
    assert.deepEqual(browser.clock.pendingDelays(), [450_000]);
  });

  test("without a readable Date header (CORS without Expose-Headers) the timing is relative all the same", async () => {
    browser = new FakeBrowser();
    const client = browser.tab({
      skewMs: 8 * HOUR,
      fetch: async (input, init) => {
        const response = await browser.server.browser().fetch(input, init);
        const headers = new Headers(response.headers);
        headers.delete("date");
        return new Response(response.body, { status: response.status, headers });
      },
    });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.deepEqual(browser.clock.pendingDelays(), [840_000]);
  });
});
