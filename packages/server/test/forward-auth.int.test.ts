// /auth/verify answers from the feed hub's memory. The server runs on fake time, so its hub never
// polls: a revocation it holds came by NOTIFY, and every database query counted below is the
// request's own. Where a test needs the hub to hold a revocation, it waits for the hub to send it
// on the feed (the hub adds a revocation to its memory before it sends it), not for time to pass.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase, FakeTime } from "../src/testing/index.js";
import { createFeedClient, type FeedServer, openFeed, revoke, startFeedServer } from "./revocation-feed-helpers.js";
import { call, GOOD_PASSWORD, registerAndLogin } from "./support/test-server.js";

describeEachDatabase("forward auth (/auth/verify)", (getDb) => {
  let server: FeedServer;
  let authorization: string;

  before(async () => {
    server = await startFeedServer(getDb(), { forwardAuthCookie: "sigil_at", time: new FakeTime() });
    authorization = (await createFeedClient(getDb())).authorization;
  });

  /** Runs `act` (which revokes something) and resolves once the hub has sent the revocation it wrote. */
  async function inHub(act: () => Promise<unknown>): Promise<void> {
    const feed = await openFeed(server.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      await act();
      await feed.waitFor((event) => event.event === "revocation");
    } finally {
      feed.close();
    }
  }
  after(async () => {
    await server.close();
  });

  test("no token → 401 with a bare Bearer challenge", async () => {
    const response = await call(server, "GET", "/auth/verify");
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
    assert.equal(response.headers.get("x-auth-subject"), null);
  });

  test("a bad token → 401 invalid_token, nothing internal in the answer", async () => {
    for (const token of ["not.a.jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."]) {
      const response = await call(server, "GET", "/auth/verify", { token });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      assert.equal(response.body.error, "invalid_token");
    }
    const malformed = await call(server, "GET", "/auth/verify", { headers: { authorization: "Bearer a b" } });
    assert.equal(malformed.status, 401);
    assert.equal(malformed.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
  });

  test("a valid token → 200 with the identity headers (header, cookie, Envoy-style sub-path, HEAD)", async () => {
    const user = await registerAndLogin(server);
    await getDb().query(`UPDATE users SET roles = ARRAY['admin', 'billing,ops'] WHERE id = $1`, [user.userId]);
    const login = await call(server, "POST", "/auth/login", { json: { email: user.email, password: GOOD_PASSWORD } });
    const token = login.body.access_token as string;
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    const response = await call(server, "GET", "/auth/verify", { token });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-auth-subject"), user.userId);
    assert.equal(response.headers.get("x-auth-session"), claims.sid);
    assert.equal(response.headers.get("x-auth-client"), claims.client_id);
    assert.equal(response.headers.get("x-auth-roles"), "admin,billing%2Cops");
    assert.equal(response.headers.get("x-auth-scope"), claims.scope ?? "");
    assert.equal(response.headers.get("cache-control"), "no-store");
    const viaCookie = await call(server, "GET", "/auth/verify", {
      headers: { cookie: `theme=dark; sigil_at=${token}` },
    });
    assert.equal(viaCookie.status, 200);
    assert.equal(viaCookie.headers.get("x-auth-subject"), user.userId);
    const subPath = await call(server, "GET", "/auth/verify/api/accounts?x=1", { token });
    assert.equal(subPath.status, 200);
    const head = await call(server, "HEAD", "/auth/verify", { token });
    assert.equal(head.status, 200);
  });

  test("a logged-out token → 401 once the hub has the revocation, without a database read per request", async () => {
    const user = await registerAndLogin(server);
    assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 200);
    await inHub(async () => {
      assert.equal((await call(server, "POST", "/auth/logout", { token: user.access })).status, 204);
    });
    const db = getDb();
    const original = db.query.bind(db);
    let queries = 0;
    db.query = ((sql: string, params?: readonly unknown[]) => {
      queries++;
      return original(sql, params);
    }) as typeof db.query;
    try {
      const result = await call(server, "GET", "/auth/verify", { token: user.access });
      assert.equal(result.status, 401);
      assert.equal(result.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    } finally {
      db.query = original;
    }
    assert.equal(queries, 0, "refused from the hub's memory");
  });

  test("logout-all voids every earlier token of the user (user_before)", async () => {
    const user = await registerAndLogin(server);
    const second = await call(server, "POST", "/auth/login", { json: { email: user.email, password: GOOD_PASSWORD } });
    await inHub(async () => {
      assert.equal((await call(server, "POST", "/auth/logout-all", { token: user.access })).status, 204);
    });
    assert.equal((await call(server, "GET", "/auth/verify", { token: second.body.access_token })).status, 401);
  });

  test("a user_before revocation alone refuses a token issued in the same second before it", async () => {
    const user = await registerAndLogin(server);
    const claims = JSON.parse(Buffer.from(user.access.split(".")[1] ?? "", "base64url").toString());
    // Revoke 1 ms after the token's issue second began: iat (whole seconds) < before.
    await inHub(() =>
      revoke(getDb(), { kind: "user_before", userId: user.userId, beforeTime: new Date(claims.iat * 1000 + 1) }),
    );
    assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 401);
  });

  test("/auth/verify reads no database: 50 checks, not one query (the hub's polls wait for the clock)", async () => {
    const user = await registerAndLogin(server);
    const db = getDb();
    const original = db.query.bind(db);
    let queries = 0;
    db.query = ((sql: string, params?: readonly unknown[]) => {
      queries++;
      return original(sql, params);
    }) as typeof db.query;
    try {
      for (let i = 0; i < 50; i++) {
        assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 200);
      }
    } finally {
      db.query = original;
    }
    assert.equal(queries, 0, `${queries} queries for 50 checks`);
  });

  test("revoked tokens are counted by code in the metrics", async () => {
    const text = await server.metrics.render();
    assert.match(text, /token_check_failures_total\{code="TOKEN_REVOKED"\} [1-9]/);
  });
});

describeEachDatabase("forward auth with a stale revocation mirror", (getDb) => {
  test("a stale mirror is never trusted: the check falls back to the database", async () => {
    let clock = Date.now();
    // No background poll: only the clock decides when the hub last read the database.
    const server = await startFeedServer(getDb(), {
      hub: { now: () => clock, pollIntervalMs: 3_600_000, staleAfterMs: 3000 },
    });
    const db = getDb();
    const original = db.query.bind(db);
    let revocationReads = 0;
    db.query = ((sql: string, params?: readonly unknown[]) => {
      if (/FROM revocations/.test(sql) && /session_id = \$1/.test(sql)) revocationReads++;
      return original(sql, params);
    }) as typeof db.query;
    try {
      const user = await registerAndLogin(server);
      assert.equal(server.context.revocations.fresh, true);
      assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 200);
      assert.equal(revocationReads, 0, "a fresh mirror answers from memory");
      clock += 10_000;
      assert.equal(server.context.revocations.fresh, false);
      assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 200);
      assert.equal(revocationReads, 1, "a stale mirror sends the check to the database");
      assert.equal((await call(server, "POST", "/auth/logout", { token: user.access })).status, 204);
      assert.equal((await call(server, "GET", "/auth/verify", { token: user.access })).status, 401);
    } finally {
      db.query = original;
      await server.close();
    }
  });
});
