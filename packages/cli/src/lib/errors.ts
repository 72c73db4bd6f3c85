/** Exit statuses of `sigil`: 0 success (a token is valid), 1 rejected or failed, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

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
