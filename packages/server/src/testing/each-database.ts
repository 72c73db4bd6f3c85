import { after, before, describe } from "node:test";
import pg from "pg";
import type { Database } from "../store/database.js";
import { migrate } from "../store/migrate.js";
import { openPostgres } from "../store/postgres.js";
import { openTestPGlite } from "./pglite-template.js";
import { findPostgresBinaries, startTestPostgres, type TestPostgres } from "./postgres.js";

export interface EachDatabaseOptions {
  /** Apply the migrations before the suite (default true). */
  migrate?: boolean;
}

// node:test runs each test file in its own process: one PostgreSQL server per file, started on
// first use and stopped when the file's tests are done.
let shared: Promise<TestPostgres> | undefined;
let databaseCounter = 0;

function sharedPostgres(): Promise<TestPostgres> {
  shared ??= startTestPostgres();
  return shared;
}

/** A fresh, empty database on the file's shared test server; its URL. */
export async function createTestDatabase(): Promise<string> {
  const server = await sharedPostgres();
  const name = `sigil_test_${process.pid}_${++databaseCounter}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  return server.urlFor(name);
}

/** Why PostgreSQL suites do not run here, or null when they do. Throws under CI=true. */
function postgresUnavailable(): string | null {
  if (findPostgresBinaries()) return null;
  const reason = "PostgreSQL binaries not found (PATH, /usr/lib/postgresql/*/bin)";
  if (process.env.CI === "true") throw new Error(`${reason}: CI=true requires PostgreSQL tests to run`);
  return reason;
}

let noticeShown = false;
let stopRegistered = false;

/**
 * Stops the file's PostgreSQL server after all its tests. Call at the top level of a test file
 * that uses createTestDatabase directly (describeEachDatabase calls it itself).
 */
export function stopPostgresAfterTests(): void {
  if (stopRegistered) return;
  stopRegistered = true;
  after(async () => {
    if (shared) await (await shared).stop();
  });
}

/**
 * Declares the suite twice: on an in-memory PGlite (started from a template, see openTestPGlite)
 * and on a fresh database of a real PostgreSQL server. `getDb()` returns that suite's database (migrated unless `migrate: false`), valid
 * inside its tests and hooks. Without PostgreSQL binaries the PostgreSQL copy is skipped with a
 * visible notice — except with CI=true, where that is a failure.
 *
 * @example
 * describeEachDatabase("users", (getDb) => {
 *   test("inserts", async () => { await createUser(getDb(), ...); });
 * });
 */
export function describeEachDatabase(
  name: string,
  suite: (getDb: () => Database) => void,
  options: EachDatabaseOptions = {},
): void {
  const skipPostgres = postgresUnavailable();
  if (!skipPostgres) stopPostgresAfterTests();
  if (skipPostgres && !noticeShown) {
    noticeShown = true;
    process.stderr.write(`\n*** NOTICE: PostgreSQL suites are SKIPPED: ${skipPostgres} ***\n\n`);
  }
  const variants: Array<{ label: string; open: () => Promise<Database>; skip: string | false }> = [
    { label: "PGlite", open: () => openTestPGlite({ migrated: options.migrate !== false }), skip: false },
    {
      label: "PostgreSQL",
      open: async () => openPostgres(await createTestDatabase()),
      skip: skipPostgres ? `SKIPPED: ${skipPostgres}` : false,
    },
  ];
  for (const variant of variants) {
    describe(`${name} [${variant.label}]`, { skip: variant.skip }, () => {
      let db: Database | undefined;
      before(async () => {
        db = await variant.open();
        if (options.migrate !== false) await migrate(db);
      });
      after(async () => {
        await db?.close();
      });
      suite(() => {
        if (!db) throw new Error("getDb() called outside the suite's tests");
        return db;
      });
    });
  }
}
