import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.js";

/** packages/server/migrations, next to src/ and dist/ alike. */
export const MIGRATIONS_DIR: string = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Any 64-bit number works; this one is "sigil" in ASCII, so it is recognizable in pg_locks. */
const MIGRATION_LOCK_ID = "495571737452";

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;

export interface MigrationOptions {
  /** Directory of `NNN_name.sql` files (default: the package's migrations/). */
  directory?: string;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, in file-name order, each in
 * its own transaction together with its bookkeeping row.
 *
 * Several instances may start at once against one PostgreSQL: a session-level advisory lock
 * makes them take turns, and whoever comes second finds the work done. (On PGlite the lock is
 * trivially uncontended, but the same code runs.) The version is the file name without `.sql`,
 * so two migrations written in parallel with the same number both apply, in name order.
 *
 * @returns the versions applied by this call.
 * @example
 * await migrate(db);
 */
export async function migrate(db: Database, options: MigrationOptions = {}): Promise<string[]> {
  const directory = options.directory ?? MIGRATIONS_DIR;
  const files = (await readdir(directory)).filter((name) => MIGRATION_FILE.test(name)).sort();
  // The advisory lock is held by a connection, so lock, work and unlock happen in one
  // transaction on one connection; pg_advisory_xact_lock releases itself at COMMIT/ROLLBACK.
  // Each migration is still atomic: a failure rolls back the lock holder's whole run.
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await tx.query<{ version: string }>("SELECT version FROM schema_migrations");
    const applied = new Set(done.rows.map((row) => row.version));
    const newlyApplied: string[] = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, "");
      if (applied.has(version)) continue;
      const sql = await readFile(`${directory}/${file}`, "utf8");
      // No parameters: sent as one simple query, so a file may hold several statements.
      await tx.query(sql);
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [version]);
      newlyApplied.push(version);
    }
    return newlyApplied;
  });
}
