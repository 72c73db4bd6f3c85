import { usageError } from "./errors.js";

/**
 * Runs node:util parseArgs (always `strict: true`) and turns its errors into one-line usage
 * errors that point at the command's help, instead of node's multi-sentence messages.
 */
export function parseOrUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const hint = `see: sigil ${command} --help`;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const option = /'([^']+)'/.exec(message)?.[1] ?? "option";
      throw usageError(`unknown option ${option} for 'sigil ${command}'`, hint);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const argument = /'([^']+)'/.exec(message)?.[1] ?? "";
      throw usageError(`unexpected argument '${argument}' for 'sigil ${command}'`, hint);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw usageError(message.split(". ", 1)[0] ?? message, hint);
    }
    throw error;
  }
}

/** At most one positional argument; more is a usage error. */
export function singlePositional(command: string, positionals: readonly string[], what: string): string | undefined {
  if (positionals.length > 1) {
    throw usageError(`'sigil ${command}' takes one ${what}, got ${positionals.length} arguments`);
  }
  return positionals[0];
}

/** A non-negative whole number of seconds from a flag. */
export function parseSeconds(flag: string, value: string): number {
  if (!/^\d{1,10}$/.test(value)) {
    throw usageError(`${flag} must be a whole number of seconds, got '${value}'`);
  }
  return Number(value);
}

/** Values of a repeatable flag that also accepts comma lists: `--alg RS256,PS256 --alg EdDSA`. */
export function splitList(values: readonly string[] | undefined): string[] {
  if (values === undefined) return [];
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
