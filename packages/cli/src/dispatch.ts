import type { Command, CommandContext } from "./commands/command.js";
import { globalHelp, groupHelp } from "./help.js";
import { EXIT_OK, EXIT_USAGE, usageError } from "./lib/errors.js";
import { cliVersion } from "./lib/version.js";

/**
 * Routes argv to a command: `--help`, `--version`, `help CMD [SUB]`, `CMD [SUB] --help`, or the
 * command itself. Unknown names are usage errors with a did-you-mean hint. Takes the command
 * table as a parameter so that groups (`keys rotate`) can be tested without the real commands.
 */
export async function dispatch(
  commands: readonly Command[],
  argv: readonly string[],
  context: CommandContext,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    context.out(globalHelp(commands));
    return EXIT_OK;
  }
  if (first === "--version" || first === "-V" || first === "-v") {
    context.out(`sigil ${cliVersion()}`);
    return EXIT_OK;
  }
  if (first === "help") return printHelpFor(commands, rest, context);
  if (first.startsWith("-")) {
    throw usageError(`unknown option ${first}: options go after the command`, "see: sigil --help");
  }
  const command = lookup(commands, first, "");
  if (command.subcommands !== undefined) {
    const [name, ...subArgs] = rest;
    if (name === undefined || name === "--help" || name === "-h") {
      context.out(groupHelp(command));
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    return runCommand(lookup(command.subcommands, name, `${command.name} `), subArgs, context);
  }
  return runCommand(command, rest, context);
}

function runCommand(command: Command, args: readonly string[], context: CommandContext): Promise<number> {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  if (options.includes("--help") || options.includes("-h")) {
    context.out(command.help);
    return Promise.resolve(EXIT_OK);
  }
  return command.run(args, context);
}

function printHelpFor(commands: readonly Command[], names: readonly string[], context: CommandContext): number {
  const [name, subName] = names;
  if (name === undefined) {
    context.out(globalHelp(commands));
    return EXIT_OK;
  }
  const command = lookup(commands, name, "");
  if (command.subcommands !== undefined) {
    context.out(subName === undefined ? groupHelp(command) : lookup(command.subcommands, subName, `${name} `).help);
  } else {
    context.out(command.help);
  }
  return EXIT_OK;
}

function lookup(commands: readonly Command[], name: string, prefix: string): Command {
  const found = commands.find((c) => c.name === name);
  if (found !== undefined) return found;
  const near = commands.find((c) => editDistance(c.name, name) <= 2);
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  throw usageError(
    `unknown command '${prefix}${shown}'`,
    near === undefined ? "see: sigil --help" : `did you mean 'sigil ${prefix}${near.name}'?`,
  );
}

/** Levenshtein distance, for "did you mean" on short command names only. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || b.length > 40) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
