import type { Command } from "./command.js";
import { decodeCommand } from "./decode.js";
import { keygenCommand } from "./keygen.js";
import { secretCommand } from "./secret.js";
import { signCommand } from "./sign.js";
import { verifyCommand } from "./verify.js";

/** Every `sigil` command, in the order `sigil --help` lists them. */
export const COMMANDS: readonly Command[] = [
  decodeCommand,
  verifyCommand,
  signCommand,
  keygenCommand,
  secretCommand,
  // ---------------------------------------------------------------------------------------------
  // DISPATCH SLOT — auth-server commands (owned by the auth server engineer, issue 3).
  // Add them here, each in its own file under src/commands/, importing from @sigil/server:
  //   serveCommand                         -> `sigil serve`
  //   { name: "keys",  subcommands: [rotateKeysCommand] }   -> `sigil keys rotate`
  //   { name: "users", subcommands: [importUsersCommand] }  -> `sigil users import`
  // A Command with `subcommands` is a group: dispatch() picks the subcommand from the next
  // argument and prints the group's help when it is missing. Do not add stubs before they work.
  // ---------------------------------------------------------------------------------------------
];
