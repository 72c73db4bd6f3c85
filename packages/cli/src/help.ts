import type { Command } from "./commands/command.js";

/** The text of `sigil --help`: what sigil is, its commands, and how to get more. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "sigil — decode, verify and sign JSON Web Tokens; generate keys and secrets; run the auth server.",
    "",
    "Usage: sigil <command> [options]",
    "",
    "Commands:",
    ...list,
    "",
    "Run 'sigil help <command>' or 'sigil <command> --help' for a command's options.",
    'A token is read from the argument, or from stdin when it is absent or "-".',
    "Exit status: 0 success (verify: the token is valid), 1 rejected or failed, 2 usage error.",
    "Options: --help, --version. Set SIGIL_DEBUG=1 to see stack traces of unexpected errors.",
  ].join("\n");
}

/** The help of a command group: its own text followed by its subcommands. */
export function groupHelp(group: Command): string {
  const subcommands = group.subcommands ?? [];
  const width = Math.max(0, ...subcommands.map((c) => c.name.length));
  return [
    group.help,
    "",
    "Commands:",
    ...subcommands.map((c) => `  ${group.name} ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}
