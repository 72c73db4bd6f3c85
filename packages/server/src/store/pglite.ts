import { PGlite, type Transaction } from "@electric-sql/pglite";
import { AsyncMutex } from "./async-mutex.js";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.js";
import type { Database, Queryable, QueryResult } from "./database.js";

export interface PGliteOptions {
  /** Who holds the directory, named to a second process that tries to open it (default "sigil"). */
  purpose?: string;
}

/**
 * Opens the embedded database: PostgreSQL compiled to WebAssembly, in-process. A directory is
 * locked for this process first (data-dir-lock.ts): a second process opening it would corrupt
 * it, so it is refused with a DataDirError naming the holder. The lock goes with close().
 *
 * @param dataDir a directory (created if missing) or `"memory"` for a throw-away database.
 * @example
 * const db = await openPGlite("./.sigil-data", { purpose: "sigil serve" });
 */
export async function openPGlite(dataDir: string, options: PGliteOptions = {}): Promise<Database> {
  if (dataDir === "memory") return new PGliteDatabase(await PGlite.create(), "PGlite (in memory)");
  const lock = await lockDataDir(dataDir, { purpose: options.purpose ?? "sigil" });
  try {
    return new PGliteDatabase(await PGlite.create(dataDir), `PGlite at ${dataDir}`, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * A Database over a PGlite instance made elsewhere (the test harness starts them from a
 * template); it closes the instance on close().
 */
export function wrapPGlite(pg: PGlite, description: string): Database {
  return new PGliteDatabase(pg, description);
}

interface PGliteResults {
  rows: unknown[];
  affectedRows?: number;
}

function toResult<Row>(result: PGliteResults | undefined): QueryResult<Row> {
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows as Row[], rowCount: result.affectedRows ?? result.rows.length };
}

/**
 * Without parameters a statement goes through the simple-query protocol (`exec`), which accepts
 * several statements (migrations); node-postgres does the same for an empty parameter list, so
 * both adapters behave alike. The last statement's rows are returned.
 */
async function run<Row>(
  target: PGlite | Transaction,
  sql: string,
  params: readonly unknown[],
): Promise<QueryResult<Row>> {
  if (params.length === 0) return toResult<Row>((await target.exec(sql)).at(-1));
  return toResult<Row>(await target.query(sql, [...params]));
}

class PGliteDatabase implements Database {
  readonly kind = "pglite" as const;
  readonly description: string;
  readonly #pg: PGlite;
  // A single connection: one statement or one whole transaction at a time (see AsyncMutex).
  readonly #lock = new AsyncMutex();
  readonly #dataDirLock: DataDirLock | undefined;

  constructor(pg: PGlite, description: string, dataDirLock?: DataDirLock) {
    this.#pg = pg;
    this.description = description;
    this.#dataDirLock = dataDirLock;
  }

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return this.#lock.run(() => run<Row>(this.#pg, sql, params));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#lock.run(() =>
      this.#pg.transaction(async (tx: Transaction) => {
        const queryable: Queryable = {
          query: <Row>(sql: string, params: readonly unknown[] = []) => run<Row>(tx, sql, params),
        };
        return work(queryable);
      }),
    );
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.#lock.run(() => this.#pg.listen(channel, onPayload));
    return () => this.#lock.run(() => unlisten());
  }

  async close(): Promise<void> {
    try {
      await this.#lock.run(() => this.#pg.close());
    } finally {
      this.#dataDirLock?.release();
    }
  }
}
