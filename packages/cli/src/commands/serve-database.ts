import type { Database, ServerConfig } from "@sigil/server";
import { CliError, EXIT_REJECTED, oneLine } from "../lib/errors.js";
import { loadServerModule } from "./serve-config.js";
import { explainDataDirError } from "./serve-errors.js";

/** A database opened by an admin command. */
export interface AdminDatabase {
  readonly db: Database;
  /** Closes the database (and so releases PGlite's directory lock). */
  close(): Promise<void>;
}

/**
 * Opens the database the server uses (DATABASE_URL, else PGlite in SIGIL_DATA_DIR) and brings
 * its schema up to date, for `keys rotate`, `users import` and `clients create`. On PGlite the
 * store locks the data directory, so the command refuses to run beside a server holding it.
 *
 * @example
 * const { db, close } = await openAdminDatabase(config, { purpose: "sigil users import" });
 */
export async function openAdminDatabase(config: ServerConfig, options: { purpose: string }): Promise<AdminDatabase> {
  const { migrate, openDatabase } = await loadServerModule();
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: options.purpose });
  } catch (error) {
    throw explainDataDirError(error) ?? databaseError(error, config) ?? openError(error, config);
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return { db, close: () => db.close() };
}

/** node-postgres connection failures: the server is down, unknown or unreachable. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

/**
 * A one-line error naming DATABASE_URL or SIGIL_DATA_DIR when `error` is a failure to reach or
 * open the database; undefined for anything else. Never prints the URL (it may hold a password).
 */
export function databaseError(
  error: unknown,
  config: Pick<ServerConfig, "databaseUrl" | "dataDir">,
): CliError | undefined {
  const code = codeOf(error);
  if (config.databaseUrl !== undefined) {
    // SQLSTATE class 28 is "invalid authorization", 3D000 "database does not exist" (PostgreSQL appendix A).
    const isConnection = NETWORK_CODES.has(code) || code.startsWith("28") || code === "3D000";
    if (!isConnection) return undefined;
    const reason = NETWORK_CODES.has(code) ? `${code} (is the server running and reachable?)` : oneLine(error);
    return new CliError(`cannot connect to the PostgreSQL server in DATABASE_URL: ${reason}`, {
      exitCode: EXIT_REJECTED,
      hint: "check DATABASE_URL, or unset it to use the embedded database",
    });
  }
  // PGlite's file system errors are Emscripten ErrnoErrors: a numeric errno and no message.
  if ((error as { name?: unknown } | null)?.name !== "ErrnoError") return undefined;
  return openError(error, config);
}

/** Any failure of openDatabase itself, named after the setting that chose the database. */
function openError(error: unknown, config: Pick<ServerConfig, "databaseUrl" | "dataDir">): CliError {
  const reason = codeOf(error) || oneLine(error);
  if (config.databaseUrl !== undefined) {
    return new CliError(`cannot open the PostgreSQL database in DATABASE_URL: ${reason}`, { exitCode: EXIT_REJECTED });
  }
  return new CliError(`cannot open the embedded database in SIGIL_DATA_DIR (${config.dataDir}): ${reason}`, {
    exitCode: EXIT_REJECTED,
    hint: "set SIGIL_DATA_DIR to a writable directory of its own, or DATABASE_URL to use PostgreSQL",
  });
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === "number" ? `errno ${errno}` : "";
}
