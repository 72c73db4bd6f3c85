import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FINISHED_SESSION_RETENTION_SECONDS, runHousekeeping } from "../../src/auth/housekeeping.js";
import { describeEachDatabase } from "../../src/testing/index.js";
import { call, registerAndLogin, startTestServer, type TestServer } from "../support/test-server.js";

describeEachDatabase("housekeeping", (getDb) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(getDb());
  });
  after(() => server.close());

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await getDb().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;

  test("revocations go once no token they affect can be alive; finished sessions after the retention; live ones stay", async () => {
    const ended = await registerAndLogin(server);
    const live = await registerAndLogin(server);
    await call(server, "POST", "/auth/refresh", { json: { refresh_token: live.refresh } });
    assert.equal((await call(server, "POST", "/auth/logout", { token: ended.access })).status, 204);
    // A later revocation: the newest row always stays (the feed hub's watermark), so this one is
    // the row that survives, and the first one is free to go.
    const newest = await registerAndLogin(server);
    assert.equal((await call(server, "POST", "/auth/logout", { token: newest.access })).status, 204);
    const t0 = Date.now();
    const revocationLife = (server.config.accessTokenTtl + server.config.clockTolerance) * 1000;

    await runHousekeeping(getDb(), { now: t0 + revocationLife - 5_000 });
    assert.equal(await count("revocations WHERE user_id = $1", [ended.userId]), 1, "still protecting a live token");

    await runHousekeeping(getDb(), { now: t0 + revocationLife + 5_000 });
    assert.equal(await count("revocations WHERE user_id = $1", [ended.userId]), 0);
    assert.equal(await count("revocations WHERE user_id = $1", [newest.userId]), 1, "the newest row is kept");
    assert.equal(await count("sessions WHERE user_id = $1", [ended.userId]), 1, "kept for the retention period");

    const later = t0 + (FINISHED_SESSION_RETENTION_SECONDS + 60) * 1000;
    await runHousekeeping(getDb(), { now: later });
    assert.equal(await count("sessions WHERE user_id = $1", [ended.userId]), 0);
    assert.equal(
      await count("refresh_tokens rt WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = rt.session_id)", []),
      0,
    );
    // The other session only went idle (7 days), well within the retention: untouched, tokens and all.
    assert.equal(await count("sessions WHERE user_id = $1", [live.userId]), 1);
    assert.equal(
      await count("refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = $1", [live.userId]),
      2,
    );
  });
});
