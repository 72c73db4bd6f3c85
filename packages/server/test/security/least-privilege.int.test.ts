// Introspection and the revocation feed need a permission granted to the client; the feed's
// connections are capped per client and in total, with a clear refusal and a metric.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setPermissions } from "../../src/clients/client-permissions.js";
import { describeEachDatabase, startTestServer, type TestClient, type TestServer } from "../../src/testing/index.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Opens the feed; for a 200 the stream stays open until `close`. */
async function openFeed(server: TestServer, authorization: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/revocations/feed`, {
    headers: { authorization, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const body = (response.status === 200 ? undefined : await response.json()) as { error?: string } | undefined;
  return { status: response.status, headers: response.headers, body, close: () => controller.abort() };
}

/** Waits, turn by turn of the event loop, until the hub has let go of every closed stream. */
async function subscribersSettle(server: TestServer, count: number): Promise<void> {
  while (server.context.revocations.subscriberCount !== count) await new Promise((resolve) => setImmediate(resolve));
}

describeEachDatabase("least privilege for introspection and the feed", (getDb) => {
  let server: TestServer;
  let plain: TestClient;
  let verifier: TestClient;

  before(async () => {
    server = await startTestServer({
      database: getDb(),
      env: { SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT: "1", SIGIL_FEED_MAX_CONNECTIONS: "2" },
    });
    plain = await server.createClient({ name: "billing", grantTypes: ["client_credentials"] });
    verifier = await server.createClient({
      name: "verifier",
      grantTypes: ["client_credentials"],
      permissions: ["introspection", "revocation-feed"],
    });
  });
  after(() => server.close());

  test("a client without the permission gets 403 unauthorized_client for introspection and the feed", async () => {
    const { accessToken } = await server.signIn();
    const introspect = await server.request("POST", "/oauth/introspect", {
      body: new URLSearchParams({ token: accessToken }).toString(),
      headers: { ...FORM, authorization: plain.authorization ?? "" },
    });
    assert.equal(introspect.status, 403);
    assert.equal(introspect.body.error, "unauthorized_client");
    assert.match(introspect.body.error_description, /--allow introspection/);
    const feed = await openFeed(server, plain.authorization ?? "");
    assert.equal(feed.status, 403);
    assert.equal(feed.body?.error, "unauthorized_client");
    // Granted on the existing client, both work.
    await setPermissions(server.db, plain.client.id, ["introspection", "revocation-feed"]);
    const granted = await server.request("POST", "/oauth/introspect", {
      body: new URLSearchParams({ token: accessToken }).toString(),
      headers: { ...FORM, authorization: plain.authorization ?? "" },
    });
    assert.equal(granted.body.active, true);
    const stream = await openFeed(server, plain.authorization ?? "");
    assert.equal(stream.status, 200);
    stream.close();
    await subscribersSettle(server, 0);
    await setPermissions(server.db, plain.client.id, []);
  });

  test("feed connections are capped per client (429) and in total (503), counted in the metrics", async () => {
    const first = await openFeed(server, verifier.authorization ?? "");
    assert.equal(first.status, 200);
    try {
      const second = await openFeed(server, verifier.authorization ?? "");
      assert.equal(second.status, 429);
      assert.equal(second.body?.error, "too_many_connections");
      assert.ok(Number(second.headers.get("retry-after")) >= 1);
      const other = await server.createClient({
        name: "verifier 2",
        grantTypes: ["client_credentials"],
        permissions: ["revocation-feed"],
      });
      const third = await server.createClient({
        name: "verifier 3",
        grantTypes: ["client_credentials"],
        permissions: ["revocation-feed"],
      });
      const otherStream = await openFeed(server, other.authorization ?? "");
      assert.equal(otherStream.status, 200);
      const full = await openFeed(server, third.authorization ?? "");
      assert.equal(full.status, 503);
      assert.equal(full.body?.error, "temporarily_unavailable");
      otherStream.close();
      await subscribersSettle(server, 1);
      const text = await server.context.metrics.render();
      assert.match(text, /^sigil_feed_refusals_total\{reason="feed_client_connection_limit"\} 1$/m);
      assert.match(text, /^sigil_feed_refusals_total\{reason="feed_connection_limit"\} 1$/m);
      assert.match(text, /^sigil_feed_subscribers 1$/m);
    } finally {
      first.close();
    }
  });
});
