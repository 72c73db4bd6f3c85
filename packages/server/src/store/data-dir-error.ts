/**
 * The embedded database's directory cannot be used: another process holds it (PGlite lets one
 * process at a time open it), or it cannot be created or written. `message` says what, `fix` how
 * to solve it; both are one line, fit to print as the reason a command stopped.
 */
export class DataDirError extends Error {
  override readonly name = "DataDirError";
  readonly code: DataDirErrorCode;
  readonly fix: string | undefined;

  constructor(code: DataDirErrorCode, message: string, fix?: string) {
    super(message);
    this.code = code;
    this.fix = fix;
  }
}

export type DataDirErrorCode = "DATA_DIR_IN_USE" | "DATA_DIR_UNUSABLE";

export function isDataDirError(value: unknown): value is DataDirError {
  return value instanceof DataDirError;
}

/** What each DataDirError code means and how to solve it, for docs/errors.md. */
export const DATA_DIR_ERRORS = {
  DATA_DIR_IN_USE: {
    summary:
      "Another live process holds the embedded database's directory (`<SIGIL_DATA_DIR>/sigil.lock` names its pid and purpose): PGlite is PostgreSQL inside one process, and two processes writing one directory would corrupt it. `sigil serve` and the admin commands (`keys rotate`, `users import`, `clients …`) stop with exit status 1.",
    fix: "Stop the process the message names (a running `sigil serve`) before running the command, or run the server and the commands against PostgreSQL (DATABASE_URL), where they can run side by side. A lock file left by a process that no longer exists is taken over on its own; delete it by hand only if no sigil process runs.",
  },
  DATA_DIR_UNUSABLE: {
    summary: "The embedded database's directory cannot be created, written or locked (permissions, a file in the way).",
    fix: "Set SIGIL_DATA_DIR to a writable directory of its own, or DATABASE_URL to use PostgreSQL.",
  },
} as const satisfies Record<DataDirErrorCode, { summary: string; fix: string }>;
