import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase } from "../../src/testing/index.js";
import { call, registerAndLogin, startTestServer, type TestServer } from "../support/test-server.js";

/** A clock the test moves forward; the server reads it for every timestamp it writes or checks. */
const clock = { offsetMs: 0 };
const now = (): number => Date.now() + clock.offsetMs;
const advance = (seconds: number): void => {
  clock.offsetMs += seconds * 1000;
};

function refreshOf(server: TestServer, refresh_token: string): ReturnType<typeof call> {
  return call(server, "POST", "/auth/refresh", { json: { refresh_token } });
}

describeEachDatabase("refresh rotation, grace window and theft detection (real parallel HTTP)", (getDb) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(getDb(), { now });
  });
  after(() => server.close());

  test("10 concurrent refreshes of one token all succeed with the SAME successor and working access tokens", async () => {
    const user = await registerAndLogin(server);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refreshOf(server, user.refresh)));
    for (const response of responses) assert.equal(response.status, 200, JSON.stringify(response.body));
    const successors = new Set(responses.map((r) => r.body.refresh_token));
    assert.equal(successors.size, 1, "one successor for everyone");
    const accessTokens = new Set(responses.map((r) => r.body.access_token));
    assert.equal(accessTokens.size, 10, "a fresh access token each");
    for (const access of accessTokens) {
      assert.equal((await call(server, "GET", "/userinfo", { token: access })).status, 200);
    }
    const rows = await getDb().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = $1`,
      [user.userId],
    );
    assert.equal(rows.rows[0]?.n, 2, "exactly one rotation happened");
    // The successor keeps working, and the session is intact.
    const next = await refreshOf(server, [...successors][0]!);
    assert.equal(next.status, 200);
  });

  test("a retry within the grace window is idempotent: same successor, session untouched", async () => {
    const user = await registerAndLogin(server);
    const first = await refreshOf(server, user.refresh);
    advance(server.config.refreshGraceSeconds - 2);
    const retry = await refreshOf(server, user.refresh);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.refresh_token, first.body.refresh_token);
    const next = await refreshOf(server, first.body.refresh_token);
    assert.equal(next.status, 200);
    assert.equal((await call(server, "GET", "/userinfo", { token: next.body.access_token })).status, 200);
  });

  test("reuse after the grace window ends the session: refresh_token_reused, its access tokens refused at once", async () => {
    const user = await registerAndLogin(server);
    const rotated = await refreshOf(server, user.refresh);
    assert.equal(rotated.status, 200);
    advance(server.config.refreshGraceSeconds + 1);

    const reuse = await refreshOf(server, user.refresh);
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.error, "invalid_grant");
    assert.match(reuse.body.error_description, /^refresh_token_reused:/);

    // Every token of the session is dead: the legitimate holder's new pair too.
    const info = await call(server, "GET", "/userinfo", { token: rotated.body.access_token });
    assert.equal(info.status, 401);
    assert.equal(info.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    assert.equal((await call(server, "GET", "/userinfo", { token: user.access })).status, 401);
    const successor = await refreshOf(server, rotated.body.refresh_token);
    assert.equal(successor.status, 401);
    assert.match(successor.body.error_description, /^session_revoked:/);

    const session = await getDb().query<{ end_reason: string }>("SELECT end_reason FROM sessions WHERE user_id = $1", [
      user.userId,
    ]);
    assert.deepEqual(session.rows, [{ end_reason: "refresh_token_reused" }]);
    const revocations = await getDb().query<{ reason: string }>(
      "SELECT reason FROM revocations WHERE kind = 'session' AND user_id = $1",
      [user.userId],
    );
    assert.deepEqual(revocations.rows, [{ reason: "refresh_token_reused" }]);
    const metrics = await call(server, "GET", "/metrics");
    assert.match(metrics.body, /^sigil_refresh_token_theft_detections_total [1-9]/m);
  });

  test("parallel reuse after the window: every request refused, one session end, one revocation", async () => {
    const user = await registerAndLogin(server);
    await refreshOf(server, user.refresh);
    advance(server.config.refreshGraceSeconds + 1);
    const responses = await Promise.all(Array.from({ length: 8 }, () => refreshOf(server, user.refresh)));
    const descriptions = responses.map((r) => (r.body.error_description as string).split(":")[0]);
    for (const response of responses) assert.equal(response.status, 401);
    assert.equal(descriptions.filter((d) => d === "refresh_token_reused").length, 1);
    assert.equal(descriptions.filter((d) => d === "session_revoked").length, 7);
    const revocations = await getDb().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM revocations WHERE user_id = $1",
      [user.userId],
    );
    assert.equal(revocations.rows[0]?.n, 1);
  });

  test("idle timeout → session_expired", async () => {
    const user = await registerAndLogin(server);
    advance(server.config.refreshIdleTtl + 1);
    const response = await refreshOf(server, user.refresh);
    assert.equal(response.status, 401);
    assert.match(response.body.error_description, /^session_expired:/);
  });

  test("absolute lifetime → session_expired even when used within the idle timeout", async () => {
    const user = await registerAndLogin(server);
    let token = user.refresh;
    const step = Math.floor(server.config.refreshIdleTtl / 2);
    const steps = Math.ceil(server.config.refreshAbsoluteTtl / step) + 1;
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < steps; i++) {
      advance(step);
      last = await refreshOf(server, token);
      if (last.status !== 200) break;
      token = last.body.refresh_token;
    }
    assert.equal(last?.status, 401);
    assert.match(last?.body.error_description, /^session_expired:/);
  });

  test("a token with the right id but a wrong secret is unknown_token and does not end the session", async () => {
    const user = await registerAndLogin(server);
    const [id] = user.refresh.split(".");
    const forged = `${id}.${"x".repeat(43)}`;
    const response = await refreshOf(server, forged);
    assert.equal(response.status, 401);
    assert.match(response.body.error_description, /^unknown_token:/);
    assert.equal((await refreshOf(server, user.refresh)).status, 200);
  });
});
