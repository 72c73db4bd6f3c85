import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { createTestDatabase, describeEachDatabase } from "../../src/testing/index.js";

describeEachDatabase(
  "migrate",
  (getDb) => {
    test("applies every migration once, then nothing", async () => {
      const first = await migrate(getDb());
      assert.ok(first.includes("001_initial"));
      assert.deepEqual(await migrate(getDb()), []);
      const tables = await getDb().query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('users','sessions','refresh_tokens','revocations')",
      );
      assert.equal(tables.rows[0]?.n, 4);
    });

    test("a failing migration leaves nothing behind", async () => {
      const dir = await mkdtemp(join(tmpdir(), "sigil-mig-"));
      try {
        await writeFile(join(dir, "001_ok.sql"), "CREATE TABLE mig_ok (a int); CREATE TABLE mig_ok2 (a int);");
        await writeFile(join(dir, "002_bad.sql"), "CREATE TABLE mig_bad (a int); SELECT * FROM no_such_table;");
        await assert.rejects(migrate(getDb(), { directory: dir }), /no_such_table/);
        const left = await getDb().query("SELECT 1 FROM information_schema.tables WHERE table_name LIKE 'mig_%'");
        assert.equal(left.rows.length, 0);
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  },
  { migrate: false },
);

test("PostgreSQL: five instances migrating at once apply each migration exactly once", async (t) => {
  let url: string;
  try {
    url = await createTestDatabase();
  } catch (error) {
    if (process.env.CI === "true") throw error;
    t.skip(`no PostgreSQL: ${(error as Error).message}`);
    return;
  }
  const dbs = await Promise.all(Array.from({ length: 5 }, () => openPostgres(url)));
  try {
    const results = await Promise.all(dbs.map((db) => migrate(db)));
    const applied = results.flat();
    assert.equal(applied.filter((v) => v === "001_initial").length, 1);
    const rows = await dbs[0]!.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
    assert.equal(rows.rows[0]?.n, new Set(applied).size);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
});
