// The feed over real HTTP, with the server on fake time: its hub polls and beats only when a test
// advances the clock, so a revocation that reaches a subscriber meanwhile was pushed by NOTIFY.
// Waits are for events on the stream; how fast they arrive is bench:verifier's business.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildMetadata } from "../src/routes/oauth/well-known.js";
import { describeEachDatabase, FakeTime } from "../src/testing/index.js";
import {
  createFeedClient,
  type FeedServer,
  openFeed,
  revoke,
  serverSideClose,
  startFeedServer,
} from "./revocation-feed-helpers.js";
import { call, registerAndLogin } from "./support/test-server.js";

describeEachDatabase("revocation feed", (getDb) => {
  let server: FeedServer;
  let authorization: string;
  const time = new FakeTime();

  before(async () => {
    server = await startFeedServer(getDb(), { hub: { heartbeatSeconds: 0.2 }, time });
    authorization = (await createFeedClient(getDb())).authorization;
  });
  after(async () => {
    await server.close();
  });

  test("no or wrong client credentials → 401 JSON invalid_client, no stream", async () => {
    const none = await openFeed(server.url);
    assert.equal(none.status, 401);
    assert.deepEqual((none.body as { error: string }).error, "invalid_client");
    assert.match(none.headers.get("www-authenticate") ?? "", /^Basic /);
    const wrong = await openFeed(server.url, {
      authorization: `Basic ${Buffer.from("verifier:not-the-secret").toString("base64")}`,
    });
    assert.equal(wrong.status, 401);
    const bearer = await openFeed(server.url, { authorization: "Bearer abc" });
    assert.equal(bearer.status, 401);
  });

  test("snapshot: retry, then every revocation in force, rounded so no earlier token slips through", async () => {
    const db = getDb();
    // Written at the server's (fake) time, as the auth layer would.
    const now = new Date(time.now);
    const expiredId = await revoke(db, { kind: "session", sessionId: "s-expired" }, { expiresInSeconds: -10, now });
    const sessionId = await revoke(db, { kind: "session", sessionId: "s-snap" }, { expiresInSeconds: 900, now });
    // 1700000000.3 s: a token with iat 1700000000 (issued in that second, maybe before) is void.
    const userId = await revoke(
      db,
      { kind: "user_before", userId: "u-snap", beforeTime: new Date(1_700_000_000_300) },
      { now },
    );
    await server.context.revocations.sync();
    const feed = await openFeed(server.url, { authorization });
    try {
      assert.equal(feed.status, 200);
      assert.match(feed.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.equal(feed.headers.get("cache-control"), "no-store");
      assert.equal(feed.headers.get("x-accel-buffering"), "no");
      const snapshot = await feed.waitFor((event) => event.event === "snapshot");
      assert.equal(feed.retry, 1000);
      assert.equal(feed.events[0], snapshot, "the snapshot comes first");
      assert.equal(snapshot.id, String(userId));
      const body = JSON.parse(snapshot.data) as { revocations: Array<Record<string, unknown>>; now: number };
      assert.equal(body.now, time.now, "the server's clock");
      const byId = new Map(body.revocations.map((entry) => [entry.id, entry]));
      assert.equal(byId.has(expiredId), false, "expired rows are not in force");
      const session = byId.get(sessionId);
      assert.deepEqual(Object.keys(session ?? {}).sort(), ["exp", "id", "kind", "sid"]);
      assert.equal(session?.sid, "s-snap");
      assert.ok(Math.abs((session?.exp as number) - (time.now / 1000 + 900)) <= 1, "900 s after it was written");
      const user = byId.get(userId);
      assert.deepEqual(Object.keys(user ?? {}).sort(), ["before", "exp", "id", "kind", "sub"]);
      assert.equal(user?.sub, "u-snap");
      assert.equal(user?.before, 1_700_000_001, "ceil: iat 1700000000 < before");
    } finally {
      feed.close();
    }
  });

  test("a committed revocation is pushed to a connected subscriber by NOTIFY, with no poll in between", async () => {
    const feed = await openFeed(server.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      const pending = time.pendingDelays();
      for (let round = 0; round < 3; round++) {
        const id = await revoke(getDb(), { kind: "session", sessionId: `s-live-${round}` });
        const event = await feed.waitFor((e) => e.event === "revocation" && e.id === String(id));
        assert.deepEqual(JSON.parse(event.data), {
          id,
          kind: "session",
          sid: `s-live-${round}`,
          exp: JSON.parse(event.data).exp,
        });
      }
      assert.deepEqual(time.pendingDelays(), pending, "no timer of the hub fired: the clock never moved");
    } finally {
      feed.close();
    }
  });

  test("a real logout is announced with the token's sid", async () => {
    const feed = await openFeed(server.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      const user = await registerAndLogin(server);
      const sid = JSON.parse(Buffer.from(user.access.split(".")[1] ?? "", "base64url").toString()).sid as string;
      assert.equal((await call(server, "POST", "/auth/logout", { token: user.access })).status, 204);
      const event = await feed.waitFor((e) => e.event === "revocation" && JSON.parse(e.data).sid === sid);
      assert.equal(JSON.parse(event.data).kind, "session");
    } finally {
      feed.close();
    }
  });

  test("resume with Last-Event-ID gets exactly the missed revocations, no snapshot", async () => {
    const first = await openFeed(server.url, { authorization });
    const snapshot = await first.waitFor((event) => event.event === "snapshot");
    first.close();
    const missed = [
      await revoke(getDb(), { kind: "session", sessionId: "s-missed-1" }),
      await revoke(getDb(), { kind: "user_before", userId: "u-missed", beforeTime: new Date() }),
    ];
    await server.context.revocations.sync();
    const resumed = await openFeed(server.url, { authorization, lastEventId: snapshot.id ?? "" });
    try {
      await resumed.waitFor((event) => event.id === String(missed[1]));
      // Live events follow on the resumed stream; whatever the server sent before one is in
      // front of it, so by then the stream holds everything the resume produced.
      const live = await revoke(getDb(), { kind: "session", sessionId: "s-after-resume" });
      await resumed.waitFor((event) => event.id === String(live));
      const ids = resumed.events.filter((e) => e.event !== "heartbeat").map((e) => `${e.event}:${e.id}`);
      assert.deepEqual(
        ids,
        [...missed, live].map((id) => `revocation:${id}`),
      );
    } finally {
      resumed.close();
    }
  });

  test("an unusable Last-Event-ID (garbage, or ahead of this server) gets a snapshot", async () => {
    for (const lastEventId of ["abc", "-1", "999999999999"]) {
      const feed = await openFeed(server.url, { authorization, lastEventId });
      try {
        const first = await feed.waitFor(() => true);
        assert.equal(first.event, "snapshot", lastEventId);
      } finally {
        feed.close();
      }
    }
  });

  test("heartbeats arrive at the configured interval, with the server time", async () => {
    const feed = await openFeed(server.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      // feed-heartbeat.test.ts checks the interval to the millisecond on a stand-in socket; here,
      // over HTTP, each interval of the clock brings one heartbeat stamped with the server's time.
      for (let beat = 0; beat < 2; beat++) {
        const seen = feed.events.length;
        await time.advance(200);
        const heartbeat = await feed.waitFor((event) => event.event === "heartbeat", { from: seen });
        assert.equal(JSON.parse(heartbeat.data).now, time.now);
      }
    } finally {
      feed.close();
    }
  });

  test("a disconnected subscriber is forgotten", async () => {
    const hub = server.context.revocations;
    const closedOnServer = serverSideClose(server);
    const feed = await openFeed(server.url, { authorization });
    await feed.waitFor((event) => event.event === "snapshot");
    const count = hub.subscriberCount;
    feed.close();
    await closedOnServer;
    assert.equal(hub.subscriberCount, count - 1);
  });

  test("the discovery document advertises the feed", () => {
    const metadata = buildMetadata(server.context);
    assert.equal(metadata.sigil_revocation_feed_endpoint, `${server.config.issuer}/revocations/feed`);
  });
});

describeEachDatabase("revocation feed shutdown", (getDb) => {
  // A close() that waited for the stream would never return: the timeout turns that hang into a failure.
  test("app.close() ends open streams instead of waiting for them", { timeout: 30_000 }, async () => {
    const server = await startFeedServer(getDb());
    const { authorization } = await createFeedClient(getDb());
    const feed = await openFeed(server.url, { authorization });
    await feed.waitFor((event) => event.event === "snapshot");
    // The client never hangs up: close() returns, and the stream ends, because the server ends it.
    await server.close();
    await feed.ended;
  });
});
