// The revocation feed's contract, on the server's side: the real server's feed — read over HTTP,
// with revocations made through the real API (logout, logout-all) before, during and between
// connections — is read by @sigil/protocol's parsers without a single refusal, and the
// RevocationIndex built from it gives every token the verdict of the server's own checks:
// /userinfo and introspection (the database) and /auth/verify (the hub's memory).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signJWT } from "@sigil/jwt";
import {
  createSSEParser,
  type FeedEvent,
  type RevocationEntry,
  RevocationIndex,
  readFeedEvent,
  type ServerSentEvent,
} from "@sigil/protocol";
import { PATHS } from "../src/routes/paths.js";
import { describeEachDatabase, startTestServer, type TestServer } from "../src/testing/index.js";

interface FeedReader {
  readonly status: number;
  readonly headers: Headers;
  readonly retries: number[];
  /** Every event read, in order. */
  readonly events: FeedEvent[];
  /** Events the protocol refused, or the server should not have sent: must stay empty. */
  readonly refusals: string[];
  /** Resolves with the first event read (from index `from` on) that matches. */
  waitFor(match: (event: FeedEvent) => boolean, from?: number): Promise<FeedEvent>;
  close(): void;
}

/** Reads the feed with the protocol's SSE parser and readFeedEvent, as a verifier does. */
async function readFeed(url: string, authorization: string, lastEventId?: string): Promise<FeedReader> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: "text/event-stream", authorization };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const response = await fetch(url + PATHS.revocationFeed, { headers, signal: controller.signal });
  const events: FeedEvent[] = [];
  const refusals: string[] = [];
  const retries: number[] = [];
  const waiters = new Set<() => void>();
  const check = (raw: ServerSentEvent, read: FeedEvent): void => {
    // What the server sends beyond what a verifier needs: `now` on snapshots and heartbeats.
    if (read.type === "other") refusals.push(`unexpected event type ${raw.type}`);
    if (read.type === "snapshot" || read.type === "heartbeat") {
      const now = (JSON.parse(raw.data) as { now?: unknown }).now;
      if (!Number.isSafeInteger(now)) refusals.push(`${raw.type} without an integer now: ${raw.data}`);
    }
  };
  const parser = createSSEParser({
    onEvent(raw) {
      try {
        const read = readFeedEvent(raw);
        check(raw, read);
        events.push(read);
      } catch (error) {
        refusals.push(`${raw.type} ${raw.lastEventId} ${raw.data}: ${(error as Error).message}`);
      }
      for (const waiter of [...waiters]) waiter();
    },
    onRetry: (ms) => retries.push(ms),
  });
  if (response.body !== null && response.status === 200) {
    const reader = response.body.getReader();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parser.push(value);
        }
      } catch {
        // closed by the test
      }
    })();
  }
  return {
    status: response.status,
    headers: response.headers,
    retries,
    events,
    refusals,
    waitFor(match, from = 0) {
      return new Promise((resolve) => {
        const look = (): void => {
          const found = events.slice(from).find(match);
          if (found === undefined) return;
          waiters.delete(look);
          resolve(found);
        };
        waiters.add(look);
        look();
      });
    },
    close: () => controller.abort(),
  };
}

/** What a verifier holds after applying events: the index, the entries in force, the last id. */
class AppliedFeed {
  readonly index = new RevocationIndex();
  readonly entries = new Map<number, RevocationEntry>();
  lastEventId: number | undefined;

  apply(events: readonly FeedEvent[]): void {
    for (const event of events) {
      if (event.type === "snapshot") {
        this.index.replace(event.snapshot.revocations);
        this.entries.clear();
        for (const entry of event.snapshot.revocations) this.entries.set(entry.id, entry);
        this.lastEventId = event.snapshot.lastEventId;
      } else if (event.type === "revocation") {
        if (this.lastEventId !== undefined && event.entry.id <= this.lastEventId) continue;
        this.index.add(event.entry);
        this.entries.set(event.entry.id, event.entry);
        this.lastEventId = event.entry.id;
      }
    }
  }
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

const isRevocationOf =
  (match: (entry: RevocationEntry) => boolean) =>
  (event: FeedEvent): boolean =>
    event.type === "revocation" && match(event.entry);

describeEachDatabase("revocation feed contract: the real server", (getDb) => {
  let server: TestServer;
  let authorization: string;

  before(async () => {
    server = await startTestServer({
      database: getDb(),
      config: { hashConcurrency: 1, feedHeartbeatSeconds: 0.2 },
    });
    const client = await server.createClient({
      name: "contract-verifier",
      grantTypes: ["client_credentials"],
      permissions: ["revocation-feed", "introspection"],
    });
    assert.ok(client.authorization);
    authorization = client.authorization;
  });
  after(async () => {
    await server.close();
  });

  /** Whether the server's own checks refuse the token: database (userinfo, introspection) and memory (forward auth). */
  async function serverRefuses(token: string): Promise<{ userinfo: boolean; introspection: boolean; verify: boolean }> {
    const userinfo = await server.request("GET", PATHS.userinfo, { token });
    const verify = await server.request("GET", PATHS.forwardAuth, { token });
    const introspection = await server.request("POST", PATHS.introspection, {
      body: new URLSearchParams({ token }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization },
    });
    assert.ok([200, 401].includes(userinfo.status) && [200, 401].includes(verify.status));
    return {
      userinfo: userinfo.status === 401,
      introspection: introspection.body.active === false,
      verify: verify.status === 401,
    };
  }

  /** Every token: the index's verdict, the one expected, and the server's checks agreeing with it. */
  async function assertVerdicts(
    applied: AppliedFeed,
    tokens: Record<string, { token: string; expected: "session" | "user" | null }>,
  ): Promise<void> {
    for (const [name, { token, expected }] of Object.entries(tokens)) {
      const verdict = applied.index.isRevoked(payloadOf(token));
      assert.equal(verdict, expected, `${name}: the index built from the feed`);
      const refused = verdict !== null;
      assert.deepEqual(
        await serverRefuses(token),
        { userinfo: refused, introspection: refused, verify: refused },
        `${name}: the server's own checks`,
      );
    }
  }

  test("no client authentication: 401 invalid_client with a Basic challenge, no stream", async () => {
    const feed = await readFeed(server.url, "Basic bm90OmF1dGhvcml6ZWQ=");
    assert.equal(feed.status, 401);
    assert.match(feed.headers.get("www-authenticate") ?? "", /^Basic /);
    assert.match(feed.headers.get("content-type") ?? "", /^application\/json/);
  });

  test("snapshot, live revocations, a resume and a new snapshot: all read, all agreeing", async () => {
    // Before any verifier connects: a logout, and a logout-all.
    const alice = await server.signIn();
    const alice2 = await server.login(alice.user);
    const bob = await server.signIn();
    assert.equal((await server.request("POST", PATHS.logout, { token: alice.accessToken })).status, 204);
    assert.equal((await server.request("POST", PATHS.logoutAll, { token: bob.accessToken })).status, 204);
    // The hub hears of commits by NOTIFY; reading now puts them in the snapshot rather than after it.
    await server.context.revocations.sync();

    const first = await readFeed(server.url, authorization);
    assert.equal(first.status, 200);
    assert.match(first.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(first.headers.get("cache-control"), "no-store");
    const snapshot = await first.waitFor((event) => event.type === "snapshot");
    assert.equal(first.events[0], snapshot, "a fresh connection starts with a snapshot");
    assert.ok(snapshot.type === "snapshot");
    const bobCutoff = snapshot.snapshot.revocations.find(
      (entry) => entry.kind === "user_before" && entry.sub === bob.user.id,
    );
    assert.ok(bobCutoff?.kind === "user_before", "bob's cut-off is in the snapshot");

    // While connected: a logout, a logout-all, and a login after a cut-off.
    const carol = await server.signIn();
    const carol2 = await server.login(carol.user);
    const dave = await server.signIn();
    const bobAgain = await server.login(bob.user);
    assert.equal((await server.request("POST", PATHS.logout, { token: carol.accessToken })).status, 204);
    assert.equal((await server.request("POST", PATHS.logoutAll, { token: dave.accessToken })).status, 204);
    await first.waitFor(isRevocationOf((entry) => entry.kind === "user_before" && entry.sub === dave.user.id));
    await first.waitFor((event) => event.type === "heartbeat");

    const applied = new AppliedFeed();
    applied.apply(first.events);
    // Tokens the server could have issued to bob, from either side of his cut-off: signed with its
    // key, the claims of his new token with another iat.
    const bobLike = (iat: number): string => {
      const { jti: _jti, exp: _exp, ...claims } = payloadOf(bobAgain.accessToken);
      return signJWT({ ...claims, iat }, server.context.keys.signingKey(), { typ: "at+jwt", expiresIn: 900 });
    };
    const tokens = {
      "alice, logged out before the feed": { token: alice.accessToken, expected: "session" },
      "alice's other session": { token: alice2.accessToken, expected: null },
      "bob, logged out everywhere before the feed": { token: bob.accessToken, expected: "session" },
      "bob, signed in after": { token: bobAgain.accessToken, expected: null },
      "bob, a second before his cut-off, in a live session": { token: bobLike(bobCutoff.before - 1), expected: "user" },
      "bob, at his cut-off": { token: bobLike(bobCutoff.before), expected: null },
      "carol, logged out while connected": { token: carol.accessToken, expected: "session" },
      "carol's other session": { token: carol2.accessToken, expected: null },
      "dave, logged out everywhere while connected": { token: dave.accessToken, expected: "session" },
    } as const;
    await assertVerdicts(applied, tokens);
    first.close();

    // While disconnected: a logout; then the verifier resumes from the last id it applied.
    const erin = await server.signIn();
    assert.equal((await server.request("POST", PATHS.logout, { token: erin.accessToken })).status, 204);
    const erinSid = payloadOf(erin.accessToken).sid;
    const resumed = await readFeed(server.url, authorization, String(applied.lastEventId));
    await resumed.waitFor(isRevocationOf((entry) => entry.kind === "session" && entry.sid === erinSid));
    assert.ok(
      resumed.events.every((event) => event.type !== "snapshot"),
      "a resumable Last-Event-ID gets the missed revocations, not a snapshot",
    );
    applied.apply(resumed.events);
    await assertVerdicts(applied, {
      ...tokens,
      "erin, logged out while disconnected": { token: erin.accessToken, expected: "session" },
    });
    resumed.close();

    // A new connection's snapshot holds exactly what the first connection and the resume built up.
    const fresh = await readFeed(server.url, authorization);
    const again = await fresh.waitFor((event) => event.type === "snapshot");
    fresh.close();
    assert.ok(again.type === "snapshot");
    assert.equal(again.snapshot.lastEventId, applied.lastEventId);
    assert.deepEqual(
      [...again.snapshot.revocations].sort((a, b) => a.id - b.id),
      [...applied.entries.values()].sort((a, b) => a.id - b.id),
    );

    for (const feed of [first, resumed, fresh]) {
      assert.deepEqual(feed.refusals, []);
      assert.deepEqual(feed.retries, [1000]);
    }
  });
});
