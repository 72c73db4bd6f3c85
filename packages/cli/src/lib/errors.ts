/** Exit statuses of `sigil`: 0 success (a token is valid), 1 rejected or failed, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

/**
 * What each exit status means and what to do about it, for docs/errors.md (the single source of
 * the doc's text). Keyed by the constant's name; `status` is the number the process exits with.
 */
export const EXIT_STATUSES = {
  EXIT_OK: {
    status: EXIT_OK,
    summary:
      "Success: the command did what it was asked (printed help, a version, a secret, a key; started and stopped the server cleanly); for `sigil verify`, the token's signature and claims are valid.",
    fix: "Nothing to fix.",
  },
  EXIT_REJECTED: {
    status: EXIT_REJECTED,
    summary:
      "The input was rejected or the work failed: `sigil verify` rejected the token (the line names its @sigil/jwt code), `sigil decode` was given something that is not a JWT, `sigil users import` rejected at least one line, `sigil users sign-out` found no user with that email, or a run-time failure: the port in use or not allowed (SIGIL_PORT, SIGIL_HOST), the database unreachable or its data directory held by another process, `sigil keys rotate` in HS256 mode, or an unexpected error.",
    fix: "Read the `sigil: error:` line and its hint. For a token, its @sigil/jwt code (table above) says why; for an import, the report names each rejected line; for the database, check DATABASE_URL or SIGIL_DATA_DIR and stop the other process that holds the embedded database. SIGIL_DEBUG=1 prints the stack of an unexpected error.",
  },
  EXIT_USAGE: {
    status: EXIT_USAGE,
    summary:
      "The command was called or configured wrongly: an unknown command or option, a missing or malformed argument, a command group without its subcommand, a setting refused at start (CONFIG_INVALID), a SIGIL_KEY_ENCRYPTION_KEY that cannot open the stored keys (KeyEncryptionError), or verification options @sigil/jwt refuses (a weak secret, an unusable key).",
    fix: "Fix the argument or setting the error line names: `sigil --help` and `sigil help <command>` show the usage, docs/configuration.md the settings, and the tables above the codes.",
  },
} as const satisfies Record<string, { status: number; summary: string; fix: string }>;

/**
 * A failure the operator caused and can fix (unknown flag, unreadable file, bad JSON). It is
 * printed as ONE line, `sigil: error: …`, with an optional hint line — never with a stack.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT_USAGE;
    this.hint = options.hint;
  }
}

/** A usage error (exit status 2). */
export function usageError(message: string, hint?: string): CliError {
  return hint === undefined ? new CliError(message) : new CliError(message, { hint });
}

/** The first line of an error's message, so that one bad input never prints a screenful. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  return first.trim() || (error instanceof Error ? error.name : "unknown error");
}
