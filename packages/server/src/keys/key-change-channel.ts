import type { Queryable } from "../store/database.js";

/**
 * The NOTIFY channel on which a new or retired signing key is announced, so that running
 * servers reload their keys at once instead of at their next scheduled re-read.
 */
export const KEY_CHANGES_CHANNEL = "sigil_keys";

/**
 * Announces a change of signing_keys from inside the transaction that makes it. PostgreSQL
 * delivers a NOTIFY only if and when the transaction commits, so a listener never reloads
 * before the change is visible, nor for one rolled back. The payload is informative only (the
 * kid): a listener re-reads the whole table, since notifications can be coalesced.
 */
export async function announceKeyChange(tx: Queryable, kid: string): Promise<void> {
  await tx.query("SELECT pg_notify($1, $2)", [KEY_CHANGES_CHANNEL, kid]);
}
