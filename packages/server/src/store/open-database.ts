import type { Database } from "./database.js";
import { openPGlite } from "./pglite.js";
import { openPostgres } from "./postgres.js";

/** Where the server keeps its data: `databaseUrl` wins; otherwise PGlite in `dataDir`. */
export interface DatabaseLocation {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Who holds a PGlite directory, named to a second process that tries to open it. */
  purpose?: string;
}

/**
 * Opens PostgreSQL when a `DATABASE_URL` is configured, else the embedded PGlite database.
 *
 * @example
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: "./.sigil-data" });
 */
export function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl) return openPostgres(location.databaseUrl);
  return openPGlite(location.dataDir, location.purpose === undefined ? {} : { purpose: location.purpose });
}
