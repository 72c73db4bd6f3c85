// What the app is told when something fails: a stable code and an action, "retry" (keep the
// session, try later) or "signIn" (the session is gone). Failure cases first.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { CLIENT_ERROR_FIXES } from "../src/errors/fixes.js";
import { CLIENT_ERRORS, isSigilClientError, SigilClientError } from "../src/index.js";
import { EMAIL, PASSWORD } from "./fixtures/fake-auth-server.js";
import { FakeBrowser, FakeNode, HOUR, record } from "./fixtures/harness.js";

async function rejection(promise: Promise<unknown>): Promise<SigilClientError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isSigilClientError(error), `not a SigilClientError: ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

let browser: FakeBrowser;
afterEach(() => browser?.closeAll());

describe("sign-in failures", () => {
  test("wrong password: INVALID_CREDENTIALS, signIn; the message names neither email nor password", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    const error = await rejection(client.signIn({ email: EMAIL, password: "wrong-password-123" }));
    assert.equal(error.code, "INVALID_CREDENTIALS");
    assert.equal(error.action, "signIn");
    assert.equal(error.status, 401);
    assert.equal(error.serverError, "invalid_grant");
    assert.doesNotMatch(`${error.message} ${JSON.stringify(error)}`, /wrong-password|alice/);
    assert.equal(client.isSignedIn, false);
  });

  test("429 with Retry-After in seconds: RATE_LIMITED, retry, retryAfterSeconds", async () => {
    browser = new FakeBrowser();
    browser.server.force("/auth/login", {
      status: 429,
      body: { error: "slow_down", error_description: "too many attempts" },
      headers: { "retry-after": "30" },
    });
    const error = await rejection(browser.tab().signIn({ email: EMAIL, password: PASSWORD }));
    assert.equal(error.code, "RATE_LIMITED");
    assert.equal(error.action, "retry");
    assert.equal(error.retryAfterSeconds, 30);
  });

  test("429 with an HTTP-date Retry-After is measured on the server's clock, not a local clock 8 h off", async () => {
    browser = new FakeBrowser();
    const at = new Date(browser.clock.now + 120_000).toUTCString();
    browser.server.force("/auth/login", { status: 429, body: { error: "slow_down" }, headers: { "retry-after": at } });
    const error = await rejection(browser.tab({ skewMs: 8 * HOUR }).signIn({ email: EMAIL, password: PASSWORD }));
    assert.equal(error.code, "RATE_LIMITED");
    assert.equal(error.retryAfterSeconds, 120);
  });

  test("503 temporarily_unavailable: SERVER_UNAVAILABLE, retry, with Retry-After and the server's error", async () => {
    browser = new FakeBrowser();
    browser.server.force("/auth/login", {
      status: 503,
      body: { error: "temporarily_unavailable", error_description: "hash queue full" },
      headers: { "retry-after": "5" },
    });
    const error = await rejection(browser.tab().signIn({ email: EMAIL, password: PASSWORD }));
    assert.deepEqual(
      [error.code, error.action, error.retryAfterSeconds, error.serverError],
      ["SERVER_UNAVAILABLE", "retry", 5, "temporarily_unavailable"],
    );
  });

  test("network failure: NETWORK_ERROR, retry, with fetch's error as cause", async () => {
    browser = new FakeBrowser();
    browser.server.offline = true;
    const error = await rejection(browser.tab().signIn({ email: EMAIL, password: PASSWORD }));
    assert.equal(error.code, "NETWORK_ERROR");
    assert.equal(error.action, "retry");
    assert.ok(error.cause instanceof TypeError);
  });

  test("a 200 that is not a token answer (captive portal page): BAD_RESPONSE, retry", async () => {
    browser = new FakeBrowser();
    browser.server.force("/auth/login", { status: 200, text: "<html>Sign in to the hotel wifi</html>" });
    const error = await rejection(browser.tab().signIn({ email: EMAIL, password: PASSWORD }));
    assert.equal(error.code, "BAD_RESPONSE");
    assert.equal(error.action, "retry");
    browser.server.force("/auth/login", {
      status: 200,
      body: { access_token: "x", token_type: "mac", expires_in: 900 },
    });
    assert.equal((await rejection(browser.tab().signIn({ email: EMAIL, password: PASSWORD }))).code, "BAD_RESPONSE");
  });

  test("another 4xx: REQUEST_REFUSED, signIn, with status and server error", async () => {
    browser = new FakeBrowser();
    browser.server.force("/auth/login", {
      status: 400,
      body: { error: "invalid_request", error_description: "email" },
    });
    const error = await rejection(browser.tab().signIn({ email: "not-an-email", password: PASSWORD }));
    assert.deepEqual(
      [error.code, error.action, error.status, error.serverError],
      ["REQUEST_REFUSED", "signIn", 400, "invalid_request"],
    );
  });
});

describe("refresh refusals end the session", () => {
  for (const keyword of ["session_revoked", "session_expired", "refresh_token_reused", "unknown_token"]) {
    test(`${keyword}: SESSION_ENDED with the keyword, signedOut sessionEnded once, tokens cleared`, async () => {
      browser = new FakeBrowser();
      const client = browser.tab();
      await client.signIn({ email: EMAIL, password: PASSWORD });
      const events = record(client);
      browser.server.endSessions(keyword);
      await browser.clock.advance(840_000); // the proactive refresh
      const [, reported] = events.find(([type]) => type === "error") ?? [];
      assert.ok(isSigilClientError(reported, "SESSION_ENDED"));
      assert.equal(reported.action, "signIn");
      assert.equal(reported.keyword, keyword);
      assert.match(reported.message, new RegExp(keyword));
      assert.deepEqual(
        events.filter(([type]) => type === "signedOut").map(([, event]) => event),
        [{ reason: "sessionEnded", keyword, error: reported }],
      );
      assert.equal(client.isSignedIn, false);
      assert.deepEqual(browser.clock.pendingDelays(), [], "nothing is retried after a signIn failure");
      // Asked again, the app gets the same answer, and no second signedOut.
      const again = await rejection(client.getAccessToken());
      assert.deepEqual([again.code, again.keyword], ["SESSION_ENDED", keyword]);
      assert.equal(events.filter(([type]) => type === "signedOut").length, 1);
    });
  }

  test("no cookie (missing_token): NOT_SIGNED_IN, signIn; a client that was not signed in emits nothing", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    const events = record(client);
    const error = await rejection(client.getAccessToken());
    assert.deepEqual([error.code, error.action, error.keyword], ["NOT_SIGNED_IN", "signIn", "missing_token"]);
    assert.deepEqual(events, []);
  });

  test("body mode with an empty store: NOT_SIGNED_IN without asking the server", async () => {
    const node = new FakeNode();
    const error = await rejection(node.client().getAccessToken());
    assert.equal(error.code, "NOT_SIGNED_IN");
    assert.equal(node.server.counts.refresh, 0);
    node.closeAll();
  });
});

describe("the error class and its catalogue", () => {
  test("every code has an action, a one-sentence summary and a fix", () => {
    for (const [code, entry] of Object.entries(CLIENT_ERRORS)) {
      assert.match(code, /^[A-Z][A-Z_]+$/);
      assert.ok(entry.action === "retry" || entry.action === "signIn", code);
      assert.ok(entry.summary.endsWith("."), code);
      assert.ok(CLIENT_ERROR_FIXES[code as keyof typeof CLIENT_ERRORS].length > 20, code);
    }
    assert.deepEqual(Object.keys(CLIENT_ERROR_FIXES).sort(), Object.keys(CLIENT_ERRORS).sort());
  });

  test("SigilClientError carries code, action and details; the guard checks the code", () => {
    const error = new SigilClientError("RATE_LIMITED", { status: 429, retryAfterSeconds: 7 });
    assert.equal(error.name, "SigilClientError");
    assert.equal(error.message, CLIENT_ERRORS.RATE_LIMITED.summary);
    assert.deepEqual(
      [error.code, error.action, error.status, error.retryAfterSeconds],
      ["RATE_LIMITED", "retry", 429, 7],
    );
    assert.equal("cause" in error, false);
    assert.ok(isSigilClientError(error, "RATE_LIMITED"));
    assert.ok(!isSigilClientError(error, "NETWORK_ERROR"));
    assert.ok(!isSigilClientError(new Error("RATE_LIMITED")));
  });

  test("no token ever appears in a URL or an error message", async () => {
    browser = new FakeBrowser();
    const client = browser.tab();
    const events = record(client);
    await client.signIn({ email: EMAIL, password: PASSWORD });
    await client.fetch("http://127.0.0.1:3000/api/orders");
    browser.server.endSessions("session_revoked");
    await browser.clock.advance(840_000);
    const messages = events.filter(([type]) => type === "error").map(([, error]) => String(error));
    assert.ok(messages.length > 0);
    for (const token of browser.server.issued) {
      for (const { url } of browser.server.requests) assert.ok(!url.includes(token), url);
      for (const message of messages) assert.ok(!message.includes(token), message);
    }
  });
});
