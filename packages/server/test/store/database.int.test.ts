import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEachDatabase, settle } from "../../src/testing/index.js";

/** Collects a listener's payloads; `next(payload)` resolves when that one has arrived. */
function collector(): {
  received: string[];
  onPayload: (payload: string) => void;
  next: (payload: string) => Promise<void>;
} {
  const received: string[] = [];
  const waiting = new Map<string, () => void>();
  return {
    received,
    onPayload(payload) {
      received.push(payload);
      waiting.get(payload)?.();
    },
    next: (payload) =>
      received.includes(payload) ? Promise.resolve() : new Promise((resolve) => waiting.set(payload, resolve)),
  };
}

describeEachDatabase("Database adapters", (getDb) => {
  test("parameters and types round-trip the same way on both: text[], bytea, timestamptz, null", async () => {
    const when = new Date("2030-01-02T03:04:05.678Z");
    const result = await getDb().query<{ a: string[]; b: Uint8Array; t: Date; n: null; i: number }>(
      "SELECT $1::text[] AS a, $2::bytea AS b, $3::timestamptz AS t, $4::text AS n, 42::int AS i",
      [["x", "y'z", "é"], Buffer.from([0, 1, 255]), when, null],
    );
    const row = result.rows[0]!;
    assert.deepEqual(row.a, ["x", "y'z", "é"]);
    assert.deepEqual([...row.b], [0, 1, 255]);
    assert.equal(row.t.getTime(), when.getTime());
    assert.equal(row.n, null);
    assert.equal(row.i, 42);
  });

  test("a transaction commits as a whole or not at all", async () => {
    const db = getDb();
    await db.query("CREATE TABLE IF NOT EXISTS adapter_t (v int)");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO adapter_t VALUES ($1)", [1]);
      await tx.query("INSERT INTO adapter_t VALUES ($1)", [2]);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO adapter_t VALUES ($1)", [3]);
        throw new Error("abort");
      }),
      /abort/,
    );
    const rows = await db.query<{ v: number }>("SELECT v FROM adapter_t ORDER BY v");
    assert.deepEqual(
      rows.rows.map((r) => r.v),
      [1, 2],
    );
  });

  test("concurrent transactions and plain queries never see each other's uncommitted rows", async () => {
    const db = getDb();
    await db.query("CREATE TABLE IF NOT EXISTS adapter_c (k text PRIMARY KEY, v int)");
    await db.query("INSERT INTO adapter_c VALUES ('n', 0)");
    // Twenty read-modify-write transactions at once: with row locks (PostgreSQL) or one
    // connection at a time (PGlite) the counter ends exactly at 20.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const current = await tx.query<{ v: number }>("SELECT v FROM adapter_c WHERE k = 'n' FOR UPDATE");
          await settle(); // let the others' statements run in between, if anything lets them
          await tx.query("UPDATE adapter_c SET v = $1 WHERE k = 'n'", [current.rows[0]!.v + 1]);
        }),
      ),
    );
    assert.equal((await db.query<{ v: number }>("SELECT v FROM adapter_c WHERE k = 'n'")).rows[0]?.v, 20);
    // A plain query issued while a transaction is open must not run inside it (PGlite's pitfall).
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const insertedRow = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const open = db.transaction(async (tx) => {
      await tx.query("INSERT INTO adapter_c VALUES ('uncommitted', 1)");
      inserted();
      await held;
      throw new Error("rolled back");
    });
    await insertedRow;
    const outside = db.query<{ n: number }>("SELECT count(*)::int AS n FROM adapter_c WHERE k = 'uncommitted'");
    await settle();
    release();
    await assert.rejects(open, /rolled back/);
    assert.equal((await outside).rows[0]?.n, 0);
    const after = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM adapter_c WHERE k = 'uncommitted'");
    assert.equal(after.rows[0]?.n, 0);
  });

  // The timeout only turns a lost notification into a failure instead of a hang.
  test("listen receives NOTIFY payloads only after commit; unsubscribe stops them", { timeout: 30_000 }, async () => {
    const db = getDb();
    const first = collector();
    const { received } = first;
    const unlisten = await db.listen("sigil_test_channel", first.onPayload);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query("SELECT pg_notify('sigil_test_channel', $1)", ["rolled-back"]);
        throw new Error("abort");
      }),
    );
    await db.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('sigil_test_channel', $1)", ["committed"]);
    });
    // Notifications arrive in commit order: had the rolled-back one been sent, it would come first.
    await first.next("committed");
    assert.deepEqual(received, ["committed"]);
    await unlisten();
    // A second listener hears what follows; by the time it has the marker sent after
    // "after-unlisten", the first would have had "after-unlisten" too, had it still listened.
    const second = collector();
    const unlistenSecond = await db.listen("sigil_test_channel", second.onPayload);
    await db.query("SELECT pg_notify('sigil_test_channel', $1)", ["after-unlisten"]);
    await db.query("SELECT pg_notify('sigil_test_channel', $1)", ["marker"]);
    await second.next("marker");
    await unlistenSecond();
    assert.deepEqual(second.received, ["after-unlisten", "marker"]);
    assert.deepEqual(received, ["committed"]);
  });
});
