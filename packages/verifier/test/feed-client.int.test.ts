// The feed client against a fake auth server over real HTTP, on fake time: the watchdog and the
// reconnection back-off fire when the test advances the clock, and each wait is for an event
// (a request the server received, a chunk the client read), never for an amount of real time.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import {
  connectRevocationFeed,
  createRevocationMirror,
  isVerifierError,
  type RevocationFeed,
  type RevocationFeedOptions,
  type VerifierError,
} from "../src/index.js";
import { type FetchProbe, probeFetch } from "./fixtures/changes.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { FakeTime } from "./fixtures/fake-time.js";

const exp = (): number => Math.floor(Date.now() / 1000) + 900;
const MAX_DELAY_MS = 200;

describe("revocation feed client", () => {
  let server: FakeAuthServer;
  let time: FakeTime;
  let probe: FetchProbe;
  const feeds: RevocationFeed[] = [];

  before(async () => {
    server = await startFakeAuthServer();
  });
  beforeEach(() => {
    server.revocations = [];
    server.oldestResumable = 0;
    server.feedConnections = 0;
    server.feedLastEventIds = [];
    server.feedMode = "ok";
    server.heartbeats = true;
    time = new FakeTime(Date.now());
    probe = probeFetch();
  });
  afterEach(() => {
    for (const feed of feeds.splice(0)) feed.close();
    server.dropFeedConnections();
  });
  after(() => server.close());

  /** A reconnection is armed (the watchdog, armed while connected, waits far longer). */
  const reconnecting = (): boolean => time.pendingDelays().some((delay) => delay <= MAX_DELAY_MS);

  /** Nothing in flight and one timer pending: the retry. */
  const retryArmed = (): boolean => probe.calls === probe.finished && time.pendingDelays().length === 1;

  function connect(
    mirror = createRevocationMirror({ sweepIntervalMs: 0 }),
    options: Partial<RevocationFeedOptions> = {},
  ): { feed: RevocationFeed; mirror: typeof mirror } {
    const feed = connectRevocationFeed({
      url: server.feedUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      mirror,
      maxDelayMs: MAX_DELAY_MS,
      fetch: probe.fetch,
      now: time.clock,
      timers: time.timers,
      ...options,
    });
    feeds.push(feed);
    return { feed, mirror };
  }

  test("snapshot, then deltas, then reconnect with Last-Event-ID after the server drops the stream", async () => {
    server.revoke({ kind: "session", sid: "before-1", exp: exp() });
    server.revoke({ kind: "user_before", sub: "u9", before: Math.floor(Date.now() / 1000), exp: exp() });
    server.revoke({ kind: "session", sid: "expired", exp: Math.floor(Date.now() / 1000) - 1 });
    const errors: VerifierError[] = [];
    const { feed, mirror } = connect(undefined, { onError: (error) => errors.push(error) });
    await feed.ready();
    assert.equal(feed.synced, true);
    assert.equal(feed.lastEventId, 3);
    assert.equal(mirror.isRevoked({ sid: "before-1" }), "session");
    assert.equal(mirror.isRevoked({ sub: "u9", iat: 0 }), "user");
    assert.equal(mirror.revokedSessions, 1, "the server left out the expired entry");
    assert.equal(server.feedLastEventIds[0], undefined);

    server.revoke({ kind: "session", sid: "delta-4", exp: exp() });
    await probe.until(() => mirror.isRevoked({ sid: "delta-4" }) === "session", "delta 4 applied");
    assert.equal(feed.lastEventId, 4);

    // The server closes mid-stream; revocations made while the verifier is away are resent.
    server.dropFeedConnections();
    await time.until(reconnecting, "the client to notice the dropped stream");
    server.revoke({ kind: "session", sid: "missed-5", exp: exp() });
    assert.equal(server.feedConnections, 1, "no reconnection before the back-off delay");
    await time.advanceToNext();
    await probe.until(() => mirror.isRevoked({ sid: "missed-5" }) === "session", "the missed revocation resent");
    assert.equal(server.feedConnections, 2);
    assert.equal(server.feedLastEventIds[1], "4");
    assert.equal(mirror.isRevoked({ sid: "before-1" }), "session", "resuming keeps what was applied");
    assert.equal(feed.lastEventId, 5);
  });

  test("the reconnection delay follows the server's retry:, doubles per failure, jittered, capped at maxDelayMs", async () => {
    server.feedMode = "down";
    const { feed } = connect(undefined, { maxDelayMs: 10_000 });
    await assert.rejects(feed.ready());
    // Full jitter within [delay/2, delay]: the first retry after one failure waits 2 s (1 s × 2) at most.
    for (const [failures, delay] of [
      [1, 2000],
      [2, 4000],
      [3, 8000],
      [4, 10_000],
      [5, 10_000],
    ] as const) {
      await time.until(retryArmed, `the retry after ${failures} failures armed`);
      const [pending] = time.pendingDelays();
      assert.ok(pending !== undefined && pending >= delay / 2 && pending <= delay, `after ${failures}: ${pending} ms`);
      assert.equal(server.feedConnections, failures);
      await time.advance(pending);
      await server.until(() => server.feedConnections === failures + 1, `connection ${failures + 1}`);
    }
    // A working connection resets the back-off; the server's `retry:` (20 ms here) becomes the base.
    server.feedMode = "ok";
    await time.until(retryArmed, "the sixth retry armed");
    await time.advanceToNext();
    await probe.until(() => feed.synced, "a snapshot");
    server.dropFeedConnections();
    await time.until(() => time.pendingDelays().some((delay) => delay <= 10_000), "a reconnection armed");
    const [next] = time.pendingDelays();
    assert.ok(next !== undefined && next >= 10 && next <= 40, `after a working connection: ${next} ms`);
  });

  test("a reconnect too old to resume gets a snapshot that replaces the mirror", async () => {
    server.revoke({ kind: "session", sid: "a", exp: exp() });
    const { feed, mirror } = connect();
    await feed.ready();
    mirror.add({ id: 0, kind: "session", sid: "stale-local", exp: exp() });
    server.oldestResumable = 100;
    server.dropFeedConnections();
    await time.until(reconnecting, "a reconnection armed");
    await time.advanceToNext();
    await probe.until(
      () => server.feedConnections === 2 && mirror.isRevoked({ sid: "stale-local" }) === null,
      "the snapshot to replace the mirror",
    );
    assert.equal(mirror.isRevoked({ sid: "a" }), "session");
  });

  test("heartbeats keep lastHeardAt moving without touching the mirror", async () => {
    const { feed } = connect();
    await feed.ready();
    const first = feed.lastHeardAt ?? 0;
    await time.advance(1000);
    server.heartbeat();
    await probe.until(() => feed.lastHeardAt === first + 1000, "the heartbeat heard");
    assert.equal(feed.lastEventId, 0);
  });

  test("wrong client credentials: ready() rejects with FEED_UNAVAILABLE and the client keeps retrying", async () => {
    const { feed } = connect(undefined, { clientSecret: "wrong" });
    await assert.rejects(
      feed.ready(),
      (error) => isVerifierError(error, "FEED_UNAVAILABLE") && error.details.status === 401,
    );
    await time.until(reconnecting, "a retry armed");
    await time.advanceToNext();
    await server.until(() => server.feedConnections >= 2, "a second attempt");
    assert.equal(feed.synced, false);
    feed.close();
  });

  test("the server down at start: the client connects once it is back", async () => {
    server.feedMode = "down";
    const { feed, mirror } = connect();
    await assert.rejects(feed.ready());
    await time.until(reconnecting, "a retry armed");
    server.revoke({ kind: "session", sid: "later", exp: exp() });
    server.feedMode = "ok";
    await time.advanceToNext();
    await probe.until(() => feed.synced, "a snapshot");
    assert.equal(mirror.isRevoked({ sid: "later" }), "session");
  });

  test("a revocation id at or below the last applied is ignored; CRLF and split writes work over the wire", async () => {
    const { feed, mirror } = connect();
    await feed.ready();
    server.revoke({ kind: "session", sid: "x", exp: exp() });
    await probe.until(() => feed.lastEventId === 1, "revocation 1");
    server.sendRaw(
      `event: revocation\r\nid: 1\r\ndata: ${JSON.stringify({ id: 1, kind: "session", sid: "dup", exp: exp() })}\r\n\r\n`,
    );
    const next = JSON.stringify({ id: 2, kind: "session", sid: "y", exp: exp() });
    // Each piece is read by the client before the next is sent, so they arrive as separate chunks.
    for (const piece of [
      `: comment\r\nevent: revoc`,
      `ation\r\nid: 2\r\ndata: ${next.slice(0, 10)}`,
      `${next.slice(10)}\r`,
    ]) {
      const before = probe.chunks;
      server.sendRaw(piece);
      await probe.until(() => probe.chunks > before, "the piece read");
    }
    server.sendRaw("\n\r\n");
    await probe.until(() => feed.lastEventId === 2, "revocation 2");
    assert.equal(mirror.isRevoked({ sid: "y" }), "session");
    assert.equal(mirror.isRevoked({ sid: "dup" }), null);
  });

  test("a silent connection (dead peer) is dropped after idleTimeoutMs and replaced", async () => {
    server.feedMode = "silent";
    const errors: VerifierError[] = [];
    const { feed } = connect(undefined, { idleTimeoutMs: 100, onError: (error) => errors.push(error) });
    await time.until(() => time.pendingDelays().includes(100), "the watchdog armed");
    await time.advance(99);
    assert.equal(errors.length, 0, "not dropped before idleTimeoutMs");
    await time.advance(1);
    await time.until(reconnecting, "the silent connection dropped");
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? "", /no event for 100 ms/);
    server.feedMode = "ok";
    await time.advanceToNext();
    await probe.until(() => feed.synced, "a snapshot on the new connection");
    assert.equal(server.feedConnections, 2);
  });

  test("a malformed event drops the connection and resumes from the last applied id", async () => {
    const { feed } = connect();
    await feed.ready();
    server.revoke({ kind: "session", sid: "x", exp: exp() });
    await probe.until(() => feed.lastEventId === 1, "revocation 1");
    server.sendRaw("event: revocation\nid: 2\ndata: {not json\n\n");
    await time.until(reconnecting, "the stream dropped");
    await time.advanceToNext();
    await server.until(() => server.feedConnections === 2, "the reconnection");
    assert.equal(server.feedLastEventIds[1], "1");
  });
});
