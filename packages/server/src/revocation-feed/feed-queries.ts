import type { RevocationEntry } from "@sigil/protocol";
import type { Queryable } from "../store/database.js";
import { REVOCATION_COLUMNS, type RevocationRow, toRevocationEntry } from "./feed-entry.js";

/** Rows fetched per query: a burst larger than this is read in several rounds. */
export const FETCH_BATCH = 5000;

function toEntries(rows: RevocationRow[]): RevocationEntry[] {
  const entries: RevocationEntry[] = [];
  for (const row of rows) {
    const entry = toRevocationEntry(row);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The highest revocation id committed (0 for an empty table). Cheap: the primary key's index. */
export async function selectMaxId(db: Queryable): Promise<number> {
  const result = await db.query<{ max: string }>("SELECT coalesce(max(id), 0)::text AS max FROM revocations");
  return Number(result.rows[0]?.max ?? 0);
}

/** Every revocation still in force with id <= upTo, in id order (the start-up load). */
export async function selectInForce(db: Queryable, upTo: number): Promise<RevocationEntry[]> {
  const result = await db.query<RevocationRow>(
    `SELECT ${REVOCATION_COLUMNS} FROM revocations WHERE id <= $1 AND expires_at > now() ORDER BY id`,
    [upTo],
  );
  return toEntries(result.rows);
}

/**
 * The next rows after `afterId`, expired or not: skipping expired ones here would look like a
 * gap in the sequence (see RevocationSequencer).
 */
export async function selectAfter(db: Queryable, afterId: number): Promise<RevocationEntry[]> {
  const result = await db.query<RevocationRow>(
    `SELECT ${REVOCATION_COLUMNS} FROM revocations WHERE id > $1 ORDER BY id LIMIT ${FETCH_BATCH}`,
    [afterId],
  );
  return toEntries(result.rows);
}

/** The rows among `ids` that exist now. Ids go as one text parameter: portable across both drivers. */
export async function selectByIds(db: Queryable, ids: readonly number[]): Promise<RevocationEntry[]> {
  if (ids.length === 0) return [];
  const result = await db.query<RevocationRow>(
    `SELECT ${REVOCATION_COLUMNS} FROM revocations WHERE id = ANY(string_to_array($1, ',')::bigint[]) ORDER BY id`,
    [ids.join(",")],
  );
  return toEntries(result.rows);
}

/** The ids present (expired or not) above `afterId`: the start-up hole scan. */
export async function selectIdsAfter(db: Queryable, afterId: number): Promise<number[]> {
  const result = await db.query<{ id: string }>("SELECT id::text AS id FROM revocations WHERE id > $1 ORDER BY id", [
    afterId,
  ]);
  return result.rows.map((row) => Number(row.id));
}

/** A liveness probe of the LISTEN connection: the hub expects to hear its own ping back. */
export async function notifyPing(db: Queryable, channel: string, payload: string): Promise<void> {
  await db.query("SELECT pg_notify($1, $2)", [channel, payload]);
}
