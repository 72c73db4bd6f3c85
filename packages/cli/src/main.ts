import { isJWTError } from "@sigil/jwt";
import { type Command, type CommandContext, createContext } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";
import { dispatch } from "./dispatch.js";
import { CliError, EXIT_REJECTED, EXIT_USAGE, oneLine } from "./lib/errors.js";
import { type CliIO, processIO } from "./lib/io.js";

/**
 * Entry point of the `sigil` command: runs one invocation and returns its exit status
 * (0 success, 1 rejected or failed, 2 usage error). Every error is caught here and printed as
 * one line — a stack trace only with SIGIL_DEBUG=1. `io` defaults to the real process; tests
 * inject their own streams, environment and clock.
 *
 * @example
 *   process.exitCode = await main(process.argv.slice(2));
 */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  return runCLI(COMMANDS, argv, io);
}

/** `main` with the command table as a parameter, so that the top-level error handling is testable. */
export async function runCLI(commands: readonly Command[], argv: readonly string[], io: CliIO): Promise<number> {
  const context = createContext(io);
  try {
    return await dispatch(commands, argv, context);
  } catch (error) {
    return reportError(error, context);
  }
}

function reportError(error: unknown, context: CommandContext): number {
  const style = context.errStyle;
  if (error instanceof CliError) {
    const hint = error.hint === undefined ? "" : ` (${error.hint})`;
    context.err(style.red(`sigil: error: ${oneLine(error)}${hint}`));
    return error.exitCode;
  }
  if (isJWTError(error)) {
    context.err(style.red(`sigil: error: ${error.code}: ${oneLine(error)}`));
    return EXIT_USAGE;
  }
  context.err(style.red(`sigil: error: ${oneLine(error)}`));
  if (context.io.env["SIGIL_DEBUG"] === "1" && error instanceof Error && error.stack !== undefined) {
    context.err(error.stack);
  }
  return EXIT_REJECTED;
}
