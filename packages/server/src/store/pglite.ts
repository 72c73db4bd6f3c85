import { PGlite, type Transaction } from "@electric-sql/pglite";
import { AsyncMutex } from "./async-mutex.js";
import type { Database, Queryable, QueryResult } from "./database.js";

/**
 * Opens the embedded database: PostgreSQL compiled to WebAssembly, in-process.
 *
 * @param dataDir a directory (created if missing) or `"memory"` for a throw-away database.
 * @example
 * const db = await openPGlite("./.sigil-data");
 */
export async function openPGlite(dataDir: string): Promise<Database> {
  const memory = dataDir === "memory";
  const pg = memory ? await PGlite.create() : await PGlite.create(dataDir);
  return new PGliteDatabase(pg, memory ? "PGlite (in memory)" : `PGlite at ${dataDir}`);
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

  constructor(pg: PGlite, description: string) {
    this.#pg = pg;
    this.description = description;
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
    await this.#lock.run(() => this.#pg.close());
  }
}
