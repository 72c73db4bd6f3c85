import { clientsCommand } from "./clients.js";
import type { Command } from "./command.js";
import { decodeCommand } from "./decode.js";
import { keygenCommand } from "./keygen.js";
import { keysCommand } from "./keys.js";
import { secretCommand } from "./secret.js";
import { serveCommand } from "./serve.js";
import { signCommand } from "./sign.js";
import { usersCommand } from "./users.js";
import { verifyCommand } from "./verify.js";

/** Every `sigil` command, in the order `sigil --help` lists them. */
export const COMMANDS: readonly Command[] = [
  decodeCommand,
  verifyCommand,
  signCommand,
  keygenCommand,
  secretCommand,
  // The auth server (issue 3): each imports from @sigil/server. A Command with `subcommands` is a
  // group: dispatch() picks the subcommand from the next argument.
  serveCommand,
  keysCommand,
  usersCommand,
  clientsCommand,
];
