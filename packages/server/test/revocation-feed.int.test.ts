import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { buildMetadata } from "../src/routes/oauth/well-known.js";
import { describeEachDatabase } from "../src/testing/index.js";
import { createFeedClient, type FeedServer, openFeed, revoke, startFeedServer } from "./revocation-feed-helpers.js";
import { call, registerAndLogin } from "./support/test-server.js";

describeEachDatabase("revocation feed", (getDb) => {
  let server: FeedServer;
  let authorization: string;

  before(async () => {
    server = await startFeedServer(getDb(), { hub: { heartbeatSeconds: 0.2 } });
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
    const expiredId = await revoke(db, { kind: "session", sessionId: "s-expired" }, { expiresInSeconds: -10 });
    const sessionId = await revoke(db, { kind: "session", sessionId: "s-snap" }, { expiresInSeconds: 900 });
    // 1700000000.3 s: a token with iat 1700000000 (issued in that second, maybe before) is void.
    const userId = await revoke(db, { kind: "user_before", userId: "u-snap", beforeTime: new Date(1_700_000_000_300) });
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
      assert.ok(Math.abs(body.now - Date.now()) < 5000);
      const byId = new Map(body.revocations.map((entry) => [entry.id, entry]));
      assert.equal(byId.has(expiredId), false, "expired rows are not in force");
      const session = byId.get(sessionId);
      assert.deepEqual(Object.keys(session ?? {}).sort(), ["exp", "id", "kind", "sid"]);
      assert.equal(session?.sid, "s-snap");
      assert.ok(Math.abs((session?.exp as number) - (Date.now() / 1000 + 900)) < 5);
      const user = byId.get(userId);
      assert.deepEqual(Object.keys(user ?? {}).sort(), ["before", "exp", "id", "kind", "sub"]);
      assert.equal(user?.sub, "u-snap");
      assert.equal(user?.before, 1_700_000_001, "ceil: iat 1700000000 < before");
    } finally {
      feed.close();
    }
  });

  test("a committed revocation reaches a connected subscriber within 200 ms", async () => {
    const feed = await openFeed(server.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      for (let round = 0; round < 3; round++) {
        const start = performance.now();
        const id = await revoke(getDb(), { kind: "session", sessionId: `s-live-${round}` });
        const event = await feed.waitFor((e) => e.event === "revocation" && e.id === String(id), { timeoutMs: 1000 });
        assert.ok(event.at - start < 200, `took ${Math.round(event.at - start)} ms`);
        assert.deepEqual(JSON.parse(event.data), {
          id,
          kind: "session",
          sid: `s-live-${round}`,
          exp: JSON.parse(event.data).exp,
        });
      }
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
      await sleep(50);
      const ids = resumed.events.filter((e) => e.event !== "heartbeat").map((e) => `${e.event}:${e.id}`);
      assert.deepEqual(
        ids,
        missed.map((id) => `revocation:${id}`),
      );
      // And live events follow on the resumed stream.
      const live = await revoke(getDb(), { kind: "session", sessionId: "s-after-resume" });
      await resumed.waitFor((event) => event.id === String(live));
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
      const beat = await feed.waitFor((event) => event.event === "heartbeat", { timeoutMs: 1000 });
      assert.ok(Math.abs(JSON.parse(beat.data).now - Date.now()) < 5000);
      await feed.waitFor((event) => event.event === "heartbeat", {
        timeoutMs: 1000,
        from: feed.events.indexOf(beat) + 1,
      });
    } finally {
      feed.close();
    }
  });

  test("a disconnected subscriber is forgotten", async () => {
    const hub = server.context.revocations;
    const feed = await openFeed(server.url, { authorization });
    await feed.waitFor((event) => event.event === "snapshot");
    const count = hub.subscriberCount;
    feed.close();
    for (let i = 0; i < 50 && hub.subscriberCount >= count; i++) await sleep(10);
    assert.equal(hub.subscriberCount, count - 1);
  });

  test("the discovery document advertises the feed", () => {
    const metadata = buildMetadata(server.context);
    assert.equal(metadata.sigil_revocation_feed_endpoint, `${server.config.issuer}/revocations/feed`);
  });
});

describeEachDatabase("revocation feed shutdown", (getDb) => {
  test("app.close() ends open streams instead of waiting for them", async () => {
    const server = await startFeedServer(getDb());
    const { authorization } = await createFeedClient(getDb());
    const feed = await openFeed(server.url, { authorization });
    await feed.waitFor((event) => event.event === "snapshot");
    const start = performance.now();
    await server.close();
    await feed.ended;
    assert.ok(performance.now() - start < 2000, `close took ${Math.round(performance.now() - start)} ms`);
  });
});
