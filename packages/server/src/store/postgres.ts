import pg from "pg";
import type { Database, Queryable, QueryResult } from "./database.js";

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  /** Pool size (default 10). */
  maxConnections?: number;
}

/**
 * Connects to a PostgreSQL server through a node-postgres pool.
 *
 * @param url a `postgres://user:password@host:port/db` connection string. The password is never
 *   logged: {@link describePostgresUrl} builds the description from host, port and database only.
 * @example
 * const db = await openPostgres(process.env.DATABASE_URL!);
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on("error", () => {});
  const client = await pool.connect(); // fail fast (bad URL, server down) at start
  client.release();
  return new PostgresDatabase(pool, `PostgreSQL at ${describePostgresUrl(url)}`);
}

/** `host:port/database` — never the user's password (nor, to keep logs boring, the user name). */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default)";
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}/${database}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

/** A multi-statement simple query yields one result per statement: keep the last, like PGlite's adapter. */
function toResult<Row>(raw: pg.QueryResult | pg.QueryResult[]): QueryResult<Row> {
  const result = Array.isArray(raw) ? raw.at(-1) : raw;
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

class PostgresDatabase implements Database {
  readonly kind = "postgres" as const;
  readonly description: string;
  readonly #pool: pg.Pool;
  readonly #listeners = new Set<pg.PoolClient>();

  constructor(pool: pg.Pool, description: string) {
    this.#pool = pool;
    this.description = description;
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return toResult<Row>(await this.#pool.query(sql, [...params]));
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    // A transaction lives on one connection: every statement goes to this dedicated client.
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const tx: Queryable = {
        query: async <Row>(sql: string, params: readonly unknown[] = []) =>
          toResult<Row>(await client.query(sql, [...params])),
      };
      const result = await work(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true; // connection lost: do not return it to the pool
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN is per connection, so the subscription holds a dedicated client until unsubscribed.
    const client = await this.#pool.connect();
    // A listening client sits idle between notifications; if its connection dies (server restart,
    // pg_terminate_backend) it emits 'error', which would crash the process without a listener.
    // The revocation feed hub notices the silence (its own ping goes unanswered) and listens anew.
    let failed = false;
    client.on("error", () => {
      failed = true;
    });
    const onNotification = (message: pg.Notification): void => {
      if (message.channel === channel) onPayload(message.payload ?? "");
    };
    client.on("notification", onNotification);
    await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    this.#listeners.add(client);
    return async () => {
      if (!this.#listeners.delete(client)) return;
      client.off("notification", onNotification);
      if (failed) {
        client.release(true);
        return;
      }
      try {
        await client.query(`UNLISTEN ${quoteIdentifier(channel)}`);
        client.release();
      } catch {
        client.release(true);
      }
    };
  }

  async close(): Promise<void> {
    for (const client of this.#listeners) client.release(true);
    this.#listeners.clear();
    await this.#pool.end();
  }
}

/** LISTEN takes an identifier, not a parameter. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
