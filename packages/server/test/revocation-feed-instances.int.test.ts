// Several auth server instances on one PostgreSQL database (issue 4 §2): a revocation written
// through any instance reaches verifiers subscribed to any other, through LISTEN/NOTIFY.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Database } from "../src/store/database.js";
import { migrate } from "../src/store/migrate.js";
import { openPostgres } from "../src/store/postgres.js";
import { insertRevocation } from "../src/store/revocations.js";
import { findPostgresBinaries, startTestPostgres, type TestPostgres } from "../src/testing/index.js";
import { createFeedClient, type FeedServer, openFeed, revoke, startFeedServer } from "./revocation-feed-helpers.js";
import { call, registerAndLogin } from "./support/test-server.js";

const unavailable = findPostgresBinaries() ? false : "PostgreSQL binaries not found";
if (unavailable && process.env.CI === "true")
  throw new Error(`${unavailable}: CI=true requires PostgreSQL tests to run`);
if (unavailable) process.stderr.write(`\n*** NOTICE: multi-instance feed tests SKIPPED: ${unavailable} ***\n\n`);

describe("revocation feed across instances [PostgreSQL]", { skip: unavailable }, () => {
  let postgres: TestPostgres;
  let url: string;
  const dbs: Database[] = [];
  const servers: FeedServer[] = [];

  async function instance(options: Parameters<typeof startFeedServer>[1] = {}): Promise<FeedServer> {
    const db = await openPostgres(url);
    dbs.push(db);
    const server = await startFeedServer(db, options);
    servers.push(server);
    return server;
  }

  before(async () => {
    postgres = await startTestPostgres();
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query("CREATE DATABASE sigil_feed_instances TEMPLATE template0");
    await admin.end();
    url = postgres.urlFor("sigil_feed_instances");
    const db = await openPostgres(url);
    await migrate(db);
    await db.close();
  });
  after(async () => {
    for (const server of servers) await server.close();
    for (const db of dbs) await db.close();
    await postgres?.stop();
  });

  test("a logout through instance 1 reaches a subscriber of instance 2 within 200 ms", async () => {
    const one = await instance();
    const two = await instance();
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(two.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      const user = await registerAndLogin(one);
      const sid = JSON.parse(Buffer.from(user.access.split(".")[1] ?? "", "base64url").toString()).sid as string;
      const start = performance.now();
      assert.equal((await call(one, "POST", "/auth/logout", { token: user.access })).status, 204);
      const event = await feed.waitFor((e) => e.event === "revocation" && JSON.parse(e.data).sid === sid, {
        timeoutMs: 1000,
      });
      assert.ok(event.at - start < 200, `took ${Math.round(event.at - start)} ms`);
      // And instance 2's forward auth refuses the token too.
      let status = 0;
      for (let i = 0; i < 40 && status !== 401; i++) {
        status = (await call(two, "GET", "/auth/verify", { token: user.access })).status;
        if (status !== 401) await sleep(5);
      }
      assert.equal(status, 401);
    } finally {
      feed.close();
    }
  });

  test("ids committed out of order are released in order, none skipped", async () => {
    const server = await instance({ hub: { gapWaitMs: 2000 } });
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(server.url, { authorization });
    const writer = await openPostgres(url);
    dbs.push(writer);
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      // T1 takes the lower id and commits last: without hold-back, its id would be skipped.
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      let firstId = 0;
      const firstDone = writer.transaction(async (tx) => {
        firstId = Number(await insertRevocation(tx, row("s-slow")));
        await firstMayCommit;
      });
      while (firstId === 0) await sleep(5);
      const secondId = await revoke(writer, { kind: "session", sessionId: "s-fast" });
      assert.equal(secondId, firstId + 1);
      await sleep(100);
      assert.equal(feed.events.filter((e) => e.event === "revocation").length, 0, "held back behind the gap");
      releaseFirst();
      await firstDone;
      await feed.waitFor((e) => e.id === String(secondId), { timeoutMs: 1000 });
      const ids = feed.events.filter((e) => e.event === "revocation").map((e) => Number(e.id));
      assert.deepEqual(ids, [firstId, secondId]);
    } finally {
      feed.close();
    }
  });

  test("an id committed after its gap was given up on is resent in a snapshot", async () => {
    const server = await instance({ hub: { gapWaitMs: 50, pollIntervalMs: 100 } });
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(server.url, { authorization });
    const writer = dbs.at(-1)!;
    try {
      const firstSnapshot = await feed.waitFor((event) => event.event === "snapshot");
      let releaseLate!: () => void;
      const lateMayCommit = new Promise<void>((resolve) => {
        releaseLate = resolve;
      });
      let lateId = 0;
      const lateDone = writer.transaction(async (tx) => {
        lateId = Number(await insertRevocation(tx, row("s-late")));
        await lateMayCommit;
      });
      while (lateId === 0) await sleep(5);
      const nextId = await revoke(writer, { kind: "session", sessionId: "s-next" });
      await feed.waitFor((e) => e.id === String(nextId), { timeoutMs: 1000 }); // released past the gap
      releaseLate();
      await lateDone;
      const resent = await feed.waitFor((e) => e.event === "snapshot" && e !== firstSnapshot, { timeoutMs: 2000 });
      const sids = (JSON.parse(resent.data).revocations as Array<{ sid?: string }>).map((entry) => entry.sid);
      assert.ok(sids.includes("s-late") && sids.includes("s-next"));
      // A verifier that had applied nextId but missed the snapshot must not resume past the late id.
      const resumed = await openFeed(server.url, { authorization, lastEventId: String(nextId) });
      try {
        assert.equal((await resumed.waitFor(() => true)).event, "snapshot");
      } finally {
        resumed.close();
      }
    } finally {
      feed.close();
    }
  });
});

function row(sessionId: string) {
  const now = new Date();
  return {
    kind: "session" as const,
    sessionId,
    userId: "u-order",
    reason: "logout",
    now,
    expiresAt: new Date(now.getTime() + 900_000),
  };
}
