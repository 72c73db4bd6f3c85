import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { connectRevocationFeed, createRevocationMirror, isVerifierError, type RevocationFeed } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { waitFor } from "./fixtures/tokens.js";

const exp = (): number => Math.floor(Date.now() / 1000) + 900;

describe("revocation feed client", () => {
  let server: FakeAuthServer;
  const feeds: RevocationFeed[] = [];

  before(async () => {
    server = await startFakeAuthServer({ heartbeatMs: 50 });
  });
  beforeEach(() => {
    server.revocations = [];
    server.oldestResumable = 0;
    server.feedConnections = 0;
    server.feedLastEventIds = [];
    server.feedMode = "ok";
    server.heartbeats = true;
  });
  afterEach(() => {
    for (const feed of feeds.splice(0)) feed.close();
    server.dropFeedConnections();
  });
  after(() => server.close());

  function connect(mirror = createRevocationMirror({ sweepIntervalMs: 0 }), secret = CLIENT_SECRET) {
    const feed = connectRevocationFeed({
      url: server.feedUrl,
      clientId: CLIENT_ID,
      clientSecret: secret,
      mirror,
      maxDelayMs: 200,
    });
    feeds.push(feed);
    return { feed, mirror };
  }

  test("snapshot, then deltas, then reconnect with Last-Event-ID after the server drops the stream", async () => {
    server.revoke({ kind: "session", sid: "before-1", exp: exp() });
    server.revoke({ kind: "user_before", sub: "u9", before: Math.floor(Date.now() / 1000), exp: exp() });
    server.revoke({ kind: "session", sid: "expired", exp: Math.floor(Date.now() / 1000) - 1 });
    const { feed, mirror } = connect();
    await feed.ready();
    assert.equal(feed.synced, true);
    assert.equal(feed.lastEventId, 3);
    assert.equal(mirror.isRevoked({ sid: "before-1" }), "session");
    assert.equal(mirror.isRevoked({ sub: "u9", iat: 0 }), "user");
    assert.equal(mirror.revokedSessions, 1, "the server left out the expired entry");
    assert.equal(server.feedLastEventIds[0], undefined);

    server.revoke({ kind: "session", sid: "delta-4", exp: exp() });
    await waitFor(() => mirror.isRevoked({ sid: "delta-4" }) === "session");
    assert.equal(feed.lastEventId, 4);

    // The server closes mid-stream; revocations made while the verifier is away are resent.
    server.dropFeedConnections();
    server.revoke({ kind: "session", sid: "missed-5", exp: exp() });
    await waitFor(() => mirror.isRevoked({ sid: "missed-5" }) === "session");
    assert.equal(server.feedConnections, 2);
    assert.equal(server.feedLastEventIds[1], "4");
    assert.equal(mirror.isRevoked({ sid: "before-1" }), "session", "resuming keeps what was applied");
    assert.equal(feed.lastEventId, 5);
  });

  test("a reconnect too old to resume gets a snapshot that replaces the mirror", async () => {
    server.revoke({ kind: "session", sid: "a", exp: exp() });
    const { feed, mirror } = connect();
    await feed.ready();
    mirror.add({ id: 0, kind: "session", sid: "stale-local", exp: exp() });
    server.oldestResumable = 100;
    server.dropFeedConnections();
    await waitFor(() => server.feedConnections === 2 && mirror.isRevoked({ sid: "stale-local" }) === null);
    assert.equal(mirror.isRevoked({ sid: "a" }), "session");
  });

  test("heartbeats keep lastHeardAt moving without touching the mirror", async () => {
    const { feed } = connect();
    await feed.ready();
    const first = feed.lastHeardAt ?? 0;
    await waitFor(() => (feed.lastHeardAt ?? 0) > first);
    assert.equal(feed.lastEventId, 0);
  });

  test("wrong client credentials: ready() rejects with FEED_UNAVAILABLE and the client keeps retrying", async () => {
    const { feed } = connect(undefined, "wrong");
    await assert.rejects(
      feed.ready(),
      (error) => isVerifierError(error, "FEED_UNAVAILABLE") && error.details.status === 401,
    );
    await waitFor(() => server.feedConnections >= 2);
    assert.equal(feed.synced, false);
    feed.close();
  });

  test("the server down at start: the client connects once it is back", async () => {
    server.feedMode = "down";
    const { feed, mirror } = connect();
    await assert.rejects(feed.ready());
    server.revoke({ kind: "session", sid: "later", exp: exp() });
    server.feedMode = "ok";
    await waitFor(() => feed.synced);
    assert.equal(mirror.isRevoked({ sid: "later" }), "session");
  });

  test("a revocation id at or below the last applied is ignored; CRLF and split writes work over the wire", async () => {
    const { feed, mirror } = connect();
    await feed.ready();
    server.revoke({ kind: "session", sid: "x", exp: exp() });
    await waitFor(() => feed.lastEventId === 1);
    server.heartbeats = false; // a heartbeat written between the pieces below would corrupt the event
    server.sendRaw(
      `event: revocation\r\nid: 1\r\ndata: ${JSON.stringify({ id: 1, kind: "session", sid: "dup", exp: exp() })}\r\n\r\n`,
    );
    const next = JSON.stringify({ id: 2, kind: "session", sid: "y", exp: exp() });
    server.sendRaw(`: comment\r\nevent: revoc`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sendRaw(`ation\r\nid: 2\r\ndata: ${next.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sendRaw(`${next.slice(10)}\r`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sendRaw("\n\r\n");
    await waitFor(() => feed.lastEventId === 2);
    assert.equal(mirror.isRevoked({ sid: "y" }), "session");
    assert.equal(mirror.isRevoked({ sid: "dup" }), null);
  });

  test("a silent connection (dead peer) is dropped after idleTimeoutMs and replaced", async () => {
    server.feedMode = "silent";
    server.heartbeats = false;
    const mirror = createRevocationMirror({ sweepIntervalMs: 0 });
    const feed = connectRevocationFeed({
      url: server.feedUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      mirror,
      idleTimeoutMs: 100,
      maxDelayMs: 100,
    });
    feeds.push(feed);
    await waitFor(() => server.feedConnections >= 2);
    server.feedMode = "ok";
    server.heartbeats = true;
    await waitFor(() => feed.synced);
  });

  test("a malformed event drops the connection and resumes from the last applied id", async () => {
    const { feed } = connect();
    await feed.ready();
    server.revoke({ kind: "session", sid: "x", exp: exp() });
    await waitFor(() => feed.lastEventId === 1);
    server.sendRaw("event: revocation\nid: 2\ndata: {not json\n\n");
    await waitFor(() => server.feedConnections === 2);
    assert.equal(server.feedLastEventIds[1], "1");
  });
});
