import type { CliIO } from "../lib/io.js";
import { type Style, styleFor } from "../lib/style.js";

/** What a command gets to run: the injectable io, the clock, and line writers with styles. */
export interface CommandContext {
  readonly io: CliIO;
  /** Current time in milliseconds. */
  now(): number;
  /** Writes one line (a newline is added) to stdout. */
  out(line: string): void;
  /** Writes one line (a newline is added) to stderr. */
  err(line: string): void;
  readonly outStyle: Style;
  readonly errStyle: Style;
}

/** One `sigil` command. `run` returns the exit status; it throws CliError for usage problems. */
export interface Command {
  readonly name: string;
  /** One line for the command list in `sigil --help`. */
  readonly summary: string;
  /** The full text of `sigil NAME --help`. */
  readonly help: string;
  /**
   * A command group (`sigil keys rotate`): the first argument selects one of these, and `run`
   * is not used.
   */
  readonly subcommands?: readonly Command[];
  run(args: readonly string[], context: CommandContext): Promise<number>;
}

/** Builds the context for one invocation. */
export function createContext(io: CliIO): CommandContext {
  return {
    io,
    now: io.now ?? Date.now,
    out: (line) => void io.stdout.write(`${line}\n`),
    err: (line) => void io.stderr.write(`${line}\n`),
    outStyle: styleFor(io.stdout, io.env),
    errStyle: styleFor(io.stderr, io.env),
  };
}
