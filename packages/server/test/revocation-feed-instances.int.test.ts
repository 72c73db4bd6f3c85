// Several auth server instances on one PostgreSQL database: a revocation written through any
// instance reaches verifiers subscribed to any other, through LISTEN/NOTIFY. The instances run on
// fake time: their hubs poll, beat and give up on gaps only when a test advances the clock.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { Database } from "../src/store/database.js";
import { migrate } from "../src/store/migrate.js";
import { openPostgres } from "../src/store/postgres.js";
import { insertRevocation } from "../src/store/revocations.js";
import { FakeTime, findPostgresBinaries, startTestPostgres, type TestPostgres } from "../src/testing/index.js";
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

  test("a logout through instance 1 reaches a subscriber of instance 2 by NOTIFY, with no poll", async () => {
    const time = new FakeTime();
    const one = await instance({ time });
    const two = await instance({ time });
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(two.url, { authorization });
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      const user = await registerAndLogin(one);
      const sid = JSON.parse(Buffer.from(user.access.split(".")[1] ?? "", "base64url").toString()).sid as string;
      assert.equal((await call(one, "POST", "/auth/logout", { token: user.access })).status, 204);
      await feed.waitFor((e) => e.event === "revocation" && JSON.parse(e.data).sid === sid);
      // Instance 2's hub sent it, so holds it: its forward auth refuses the token at once.
      assert.equal((await call(two, "GET", "/auth/verify", { token: user.access })).status, 401);
    } finally {
      feed.close();
    }
  });

  test("ids committed out of order are released in order, none skipped", async () => {
    const time = new FakeTime();
    const server = await instance({ hub: { gapWaitMs: 2000, heartbeatSeconds: 1 }, time });
    const hub = server.context.revocations;
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(server.url, { authorization });
    const writer = await openPostgres(url);
    dbs.push(writer);
    try {
      await feed.waitFor((event) => event.event === "snapshot");
      // T1 takes the lower id and commits last: without hold-back, its id would be skipped.
      const first = await openTransaction(writer, "s-slow");
      const secondId = await revoke(writer, { kind: "session", sessionId: "s-fast" });
      assert.equal(secondId, first.id + 1);
      // The hub has read the committed row (a sync joins the one its NOTIFY started) and holds it;
      // a heartbeat sent after that is in the stream behind anything the hub wrote before it.
      await hub.sync();
      const seen = feed.events.length;
      await time.advance(1000);
      await feed.waitFor((event) => event.event === "heartbeat", { from: seen });
      assert.equal(feed.events.filter((e) => e.event === "revocation").length, 0, "held back behind the gap");
      await first.commit();
      await feed.waitFor((e) => e.id === String(secondId));
      const ids = feed.events.filter((e) => e.event === "revocation").map((e) => Number(e.id));
      assert.deepEqual(ids, [first.id, secondId]);
    } finally {
      feed.close();
    }
  });

  test("an id committed after its gap was given up on is resent in a snapshot", async () => {
    const time = new FakeTime();
    const server = await instance({ hub: { gapWaitMs: 50, pollIntervalMs: 100 }, time });
    const hub = server.context.revocations;
    const { authorization } = await createFeedClient(dbs[0]!);
    const feed = await openFeed(server.url, { authorization });
    const writer = dbs.at(-1)!;
    try {
      const firstSnapshot = await feed.waitFor((event) => event.event === "snapshot");
      const late = await openTransaction(writer, "s-late");
      const nextId = await revoke(writer, { kind: "session", sessionId: "s-next" });
      await hub.sync(); // the hub holds nextId behind the gap...
      await time.advance(50); // ...until gapWaitMs has passed: then it presumes the gap rolled back
      await feed.waitFor((e) => e.id === String(nextId)); // released past the gap
      await late.commit();
      await time.advance(100); // the poll looks for ids it gave up on
      const resent = await feed.waitFor((e) => e.event === "snapshot" && e !== firstSnapshot);
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

/**
 * A revocation inserted in a transaction left open (its id taken, its row not committed) until
 * `commit()` is called.
 */
async function openTransaction(db: Database, sessionId: string): Promise<{ id: number; commit(): Promise<void> }> {
  let commit!: () => void;
  const mayCommit = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let inserted!: (id: number) => void;
  const id = new Promise<number>((resolve) => {
    inserted = resolve;
  });
  const done = db.transaction(async (tx) => {
    inserted(Number(await insertRevocation(tx, row(sessionId))));
    await mayCommit;
  });
  return {
    id: await id,
    commit: async () => {
      commit();
      await done;
    },
  };
}

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
