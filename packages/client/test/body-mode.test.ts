// Body mode (Node: server-side rendering, scripts, CLIs): the refresh token travels in JSON bodies
// and lives in a pluggable store that must follow every rotation. Failure cases first.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { memoryTokenStore, type StoredTokens, type TokenStore } from "../src/index.js";
import { EMAIL, ISSUER, PASSWORD } from "./fixtures/fake-auth-server.js";
import { FakeNode, record } from "./fixtures/harness.js";

/** A store like a file: asynchronous, and it remembers what was written to it. */
class RecordingStore implements TokenStore {
  saved: string[] = [];
  cleared = 0;
  private value: string | null = null;
  async load(): Promise<StoredTokens | null> {
    return this.value === null ? null : (JSON.parse(this.value) as StoredTokens);
  }
  async save(tokens: StoredTokens): Promise<void> {
    this.value = JSON.stringify(tokens);
    this.saved.push(tokens.refreshToken);
  }
  async clear(): Promise<void> {
    this.value = null;
    this.cleared++;
  }
}

let node: FakeNode;
afterEach(() => node.closeAll());

describe("body mode", () => {
  test("a stale copy of a rotated refresh token, replayed after the grace window: SESSION_ENDED refresh_token_reused", async () => {
    node = new FakeNode();
    const store = new RecordingStore();
    const client = node.client({ store });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    const stolen = store.saved[0]!;
    await node.clock.advance(840_000); // rotates: the stolen copy is spent
    const thief = node.client({ store: { load: () => ({ refreshToken: stolen }), save() {}, clear() {} } });
    await node.clock.advance(11_000);
    await assert.rejects(thief.getAccessToken(), { code: "SESSION_ENDED", keyword: "refresh_token_reused" });
    // The server ended the session: the rightful client learns it at its next refresh.
    const events = record(client);
    await node.clock.advance(900_000);
    assert.deepEqual(events.find(([type]) => type === "signedOut")?.[1], {
      reason: "sessionEnded",
      keyword: "session_revoked",
      error: events.find(([type]) => type === "error")?.[1],
    });
    assert.equal(store.cleared, 1);
  });

  test("a body without refresh_token in body mode: BAD_RESPONSE, nothing stored", async () => {
    node = new FakeNode();
    const store = new RecordingStore();
    node.server.force("/auth/login", {
      status: 200,
      body: { access_token: "a", token_type: "Bearer", expires_in: 900 },
    });
    await assert.rejects(node.client({ store }).signIn({ email: EMAIL, password: PASSWORD }), { code: "BAD_RESPONSE" });
    assert.deepEqual(store.saved, []);
  });

  test("a store that fails to save: the error reaches the caller", async () => {
    node = new FakeNode();
    const broken: TokenStore = { load: () => null, save: () => Promise.reject(new Error("disk full")), clear() {} };
    await assert.rejects(node.client({ store: broken }).signIn({ email: EMAIL, password: PASSWORD }), /disk full/);
  });

  test("every rotation is saved; a restarted process resumes from the store", async () => {
    node = new FakeNode();
    const store = new RecordingStore();
    const first = node.client({ store });
    await first.signIn({ email: EMAIL, password: PASSWORD });
    await node.clock.advance(840_000);
    assert.equal(store.saved.length, 2);
    assert.notEqual(store.saved[1], store.saved[0]);
    first.close();
    // A new process: nothing in memory, the newest refresh token in the store.
    const second = node.client({ store });
    const token = await second.getAccessToken();
    assert.match(token, /^at-/);
    assert.equal(store.saved.length, 3);
    const refreshes = node.server.requests.filter((r) => r.url === `${ISSUER}/auth/refresh`);
    assert.deepEqual(
      refreshes.map((r) => JSON.parse(r.body).refresh_token),
      store.saved.slice(0, 2),
      "each refresh presented the token saved just before",
    );
    for (const r of node.server.requests) {
      assert.equal(r.headers.get("sigil-refresh-cookie"), null);
      assert.notEqual(r.credentials, "include");
    }
  });

  test("signOut() sends the refresh token, clears the store and emits signedOut", async () => {
    node = new FakeNode();
    const store = new RecordingStore();
    const client = node.client({ store });
    await client.signIn({ email: EMAIL, password: PASSWORD });
    const events = record(client);
    await client.signOut();
    const logout = node.server.requests.find((r) => r.url === `${ISSUER}/auth/logout`);
    assert.deepEqual(JSON.parse(logout?.body ?? "{}"), { refresh_token: store.saved[0] });
    assert.equal(store.cleared, 1);
    assert.equal(await store.load(), null);
    assert.deepEqual(events, [["signedOut", { reason: "signOut" }]]);
    await assert.rejects(client.getAccessToken(), { code: "NOT_SIGNED_IN" });
  });

  test("signOut() refused for another reason than invalid_grant stays signed in: the session may live on", async () => {
    node = new FakeNode();
    const client = node.client();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    node.server.force("/auth/logout", {
      status: 401,
      body: { error: "missing_token", error_description: "This endpoint requires a Bearer access token." },
    });
    await assert.rejects(client.signOut(), { code: "REQUEST_REFUSED", serverError: "missing_token", status: 401 });
    assert.equal(client.isSignedIn, true);
    node.server.force("/auth/logout", {
      status: 401,
      body: { error: "invalid_grant", error_description: "session_revoked: ended elsewhere" },
    });
    await client.signOut();
    assert.equal(client.isSignedIn, false, "invalid_grant: nothing left to end");
  });

  test("signOut() that cannot reach the server stays signed in (the session lives on), so it can be retried", async () => {
    node = new FakeNode();
    const client = node.client();
    await client.signIn({ email: EMAIL, password: PASSWORD });
    node.server.offline = true;
    await assert.rejects(client.signOut(), { code: "NETWORK_ERROR" });
    assert.equal(client.isSignedIn, true);
    node.server.offline = false;
    await client.signOut();
    assert.equal(client.isSignedIn, false);
    assert.equal(node.server.counts.logout, 1);
  });

  test("clients of one process share nothing by default: different users, different sessions", async () => {
    node = new FakeNode();
    const alice = node.client();
    const bob = node.client();
    await alice.signIn({ email: EMAIL, password: PASSWORD });
    await node.clock.advance(0);
    assert.equal(bob.isSignedIn, false);
    await bob.signIn({ email: EMAIL, password: PASSWORD });
    const events = record(bob);
    await alice.signOut();
    await node.clock.advance(0);
    assert.deepEqual(events, []);
    assert.equal(bob.isSignedIn, true);
  });

  test("the default store is in memory and keeps the newest token", async () => {
    const store = memoryTokenStore();
    assert.equal(store.load(), null);
    store.save({ refreshToken: "one" });
    store.save({ refreshToken: "two" });
    assert.deepEqual(store.load(), { refreshToken: "two" });
    store.clear();
    assert.equal(store.load(), null);
    node = new FakeNode();
  });
});
