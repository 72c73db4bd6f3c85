// createClient checks its options once and names the bad one; the defaults follow the platform.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createClient } from "../src/index.js";
import { EMAIL, ISSUER, PASSWORD } from "./fixtures/fake-auth-server.js";
import { FakeBroadcastBus } from "./fixtures/fake-broadcast.js";
import { FakeBrowser, FakeNode, record, typesOf } from "./fixtures/harness.js";

describe("createClient options", () => {
  test("refuses an issuer that is not an absolute URL, or plain http beyond the loopback interface", () => {
    for (const issuer of ["", "auth.example.com", "/auth", "http://auth.example.com", "ftp://127.0.0.1"]) {
      assert.throws(
        () => createClient({ issuer }),
        { name: "TypeError", message: /^createClient: issuer must be/ },
        issuer,
      );
    }
  });

  test("refuses an issuer with a query or a fragment (RFC 8414 §2)", () => {
    for (const issuer of ["https://auth.example.com/?tenant=a", "https://auth.example.com/#x"]) {
      assert.throws(
        () => createClient({ issuer }),
        { message: /issuer must be a URL without query or fragment/ },
        issuer,
      );
    }
  });

  test("refuses an unknown mode, a negative margin, a zero lock timeout", () => {
    assert.throws(() => createClient({ issuer: ISSUER, mode: "local" as "body" }), { message: /mode must be/ });
    assert.throws(() => createClient({ issuer: ISSUER, refreshMargin: -1 }), { message: /refreshMargin must be/ });
    assert.throws(() => createClient({ issuer: ISSUER, refreshMargin: Number.NaN }), { message: /refreshMargin/ });
    assert.throws(() => createClient({ issuer: ISSUER, lockTimeoutMs: 0 }), { message: /lockTimeoutMs must be/ });
  });

  test("accepts https anywhere and http on localhost, 127.0.0.1 and [::1]; a trailing slash is dropped", async () => {
    const node = new FakeNode();
    for (const issuer of ["https://auth.example.com/", "http://localhost:3000", "http://[::1]:3000", `${ISSUER}/`]) {
      createClient({ issuer, mode: "body" }).close();
    }
    const client = node.client({ issuer: `${ISSUER}/` });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    assert.equal(node.server.requests[0]?.url, `${ISSUER}/auth/login`);
    node.closeAll();
  });

  test("mode defaults to body in Node and to cookie where a document exists", async () => {
    const node = new FakeNode();
    const inNode = createClient({ issuer: ISSUER, fetch: node.server.fetch, timers: node.clock.timers });
    await inNode.signIn({ email: EMAIL, password: PASSWORD });
    assert.equal(node.server.requests.at(-1)?.headers.get("sigil-refresh-cookie"), null);
    inNode.close();
    const globals = globalThis as { document?: unknown };
    globals.document = {};
    try {
      const bus = new FakeBroadcastBus();
      const browser = node.server.browser();
      const inBrowser = createClient({
        issuer: ISSUER,
        fetch: browser.fetch,
        timers: node.clock.timers,
        broadcastChannel: bus.open,
      });
      await inBrowser.signIn({ email: EMAIL, password: PASSWORD });
      assert.equal(node.server.requests.at(-1)?.headers.get("sigil-refresh-cookie"), "1");
      assert.equal(bus.openChannels, 1, "cookie mode opens the cross-tab channel");
      inBrowser.close();
      assert.equal(bus.openChannels, 0);
    } finally {
      delete globals.document;
    }
  });

  test("channelName separates apps on one origin", async () => {
    const browser = new FakeBrowser();
    const a = browser.tab({ channelName: "app-a" });
    const b = browser.tab({ channelName: "app-b" });
    const events = record(b);
    await a.signIn({ email: EMAIL, password: PASSWORD });
    await browser.clock.advance(0);
    assert.deepEqual(events, []);
    browser.closeAll();
  });
});

describe("events", () => {
  test("a handler that throws does not stop the others or the client; on() returns an unsubscribe", async () => {
    const browser = new FakeBrowser();
    const client = browser.tab();
    const seen: string[] = [];
    const thrown: unknown[] = [];
    const globals = globalThis as { reportError?: (error: unknown) => void };
    globals.reportError = (error) => thrown.push(error); // as in browsers
    try {
      client.on("signedIn", () => {
        throw new Error("app bug");
      });
      const off = client.on("signedIn", () => seen.push("second"));
      await client.signIn({ email: EMAIL, password: PASSWORD });
      await browser.clock.advance(0);
      assert.deepEqual(seen, ["second"]);
      assert.equal(client.isSignedIn, true);
      assert.match(String(thrown[0]), /app bug/, "reported outside the client");
      off();
      await client.signOut();
      await client.signIn({ email: EMAIL, password: PASSWORD });
      assert.deepEqual(seen, ["second"]);
    } finally {
      delete globals.reportError;
      browser.closeAll();
    }
  });

  test("signIn, refresh, signOut emit signedIn, tokenRefreshed, signedOut in that order", async () => {
    const browser = new FakeBrowser();
    const client = browser.tab();
    const events = record(client);
    await client.signIn({ email: EMAIL, password: PASSWORD });
    await browser.clock.advance(840_000);
    await client.signOut();
    assert.deepEqual(typesOf(events), ["signedIn", "tokenRefreshed", "signedOut"]);
    browser.closeAll();
  });
});
