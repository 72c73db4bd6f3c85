/**
 * The one interface the server uses to reach its database, implemented twice: on PGlite
 * (embedded, in-process) and on node-postgres (a real PostgreSQL server). Both speak the same
 * SQL with `$1`-style parameters, so every query in the server is written once.
 */
export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted. */
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends Queryable {
  /** "pglite" or "postgres": shown in the start-up line and in /readyz. */
  readonly kind: "pglite" | "postgres";
  /** A human description without credentials ("PGlite at ./.sigil-data", "PostgreSQL at host:5432/db"). */
  readonly description: string;
  /**
   * Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on any throw) on one connection.
   * Row locks (`SELECT … FOR UPDATE`) taken inside hold until it ends.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel (PGlite: notifications from this process). Returns an unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
