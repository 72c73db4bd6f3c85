import { open } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseOrUsage, singlePositional } from "../lib/args.js";
import { CliError, EXIT_OK, EXIT_REJECTED, usageError } from "../lib/errors.js";
import { readFailureReason } from "../lib/files.js";
import type { InputStream } from "../lib/io.js";
import type { Command } from "./command.js";
import { loadServerConfig, loadServerModule } from "./serve-config.js";
import { openAdminDatabase } from "./serve-database.js";
import { splitLines } from "./users-lines.js";

export const importUsersCommand: Command = {
  name: "import",
  summary: "import users with their bcrypt or argon2id hashes from JSON lines",
  help: `Usage: sigil users import FILE|-

Imports users into the auth server's database from JSON lines (a file, or stdin with "-"):

  {"email": "alice@example.com", "password_hash": "$2b$12$…", "roles": ["admin"]}

bcrypt ($2a$, $2b$, $2y$) and argon2id hashes are kept as they are: users log in with their
current password, and a bcrypt hash is replaced by argon2id at that first login. Emails are
normalized as at login; a user who already exists is skipped, so running an import twice
imports nothing twice. Each line gets one report line — imported, skipped (and why) or
rejected (and why; never echoing a hash) — then a summary.

It reads the same settings as 'sigil serve' (DATABASE_URL or SIGIL_DATA_DIR): run it with the
server's environment. With the embedded PGlite database stop the server first (one process at a
time); with PostgreSQL it runs beside the servers.

Exit status: 0 when no line was rejected, 1 otherwise.

Example:
  sigil users import users.jsonl`,

  async run(args, context) {
    const { positionals } = parseOrUsage("users import", () =>
      parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: true }),
    );
    const source = singlePositional("users import", positionals, "file");
    if (source === undefined) throw usageError("give the JSON-lines file to import, or - for stdin");
    const config = await loadServerConfig(context.io.env);
    const { formatImportResult, importUsers } = await loadServerModule();
    const input = await openInput(source, context.io.stdin);
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil users import" });
    const counts = { imported: 0, skipped: 0, rejected: 0 };
    try {
      for await (const result of importUsers(db, splitLines(input.lines))) {
        counts[result.status]++;
        context.out(formatImportResult(result));
      }
    } finally {
      await close();
      await input.close();
    }
    context.out(`${counts.imported} imported, ${counts.skipped} skipped, ${counts.rejected} rejected`);
    return counts.rejected === 0 ? EXIT_OK : EXIT_REJECTED;
  },
};

interface ImportInput {
  readonly lines: AsyncIterable<string | Uint8Array>;
  close(): Promise<void>;
}

/** Opens the file before the database, so a mistyped path fails at once with one line. */
async function openInput(source: string, stdin: InputStream): Promise<ImportInput> {
  if (source === "-") {
    if (stdin.isTTY) throw usageError("users import - reads JSON lines from stdin: pipe a file into it");
    return { lines: stdin, close: () => Promise.resolve() };
  }
  try {
    const handle = await open(source, "r");
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    }
    return { lines: handle.createReadStream({ autoClose: false }), close: () => handle.close() };
  } catch (error) {
    throw new CliError(`cannot read users file '${source}': ${readFailureReason(error, "not a file")}`);
  }
}

export const signOutUserCommand: Command = {
  name: "sign-out",
  summary: "end every session of a user, at every verifier",
  help: `Usage: sigil users sign-out EMAIL

Ends every session of the user — their browser session, their apps' sessions, every refresh
token — and refuses every access token issued to them before now: at the auth servers at once,
and at every verifier through the revocation feed (the commit notifies the running servers).
For a stolen device or a compromised session. It does not change the password: whoever knows it
can sign in again.

It reads the same settings as 'sigil serve' (DATABASE_URL or SIGIL_DATA_DIR). With PostgreSQL it
runs beside the servers, which hear of it at once; with the embedded PGlite database stop the
server first (one process at a time).

Exit status: 0 when the user was signed out, 1 when no user has that email.

Example:
  sigil users sign-out alice@example.com`,

  async run(args, context) {
    const { positionals } = parseOrUsage("users sign-out", () =>
      parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: true }),
    );
    const email = singlePositional("users sign-out", positionals, "email");
    if (email === undefined) throw usageError("give the user's email address");
    const config = await loadServerConfig(context.io.env);
    const { signOutUser } = await loadServerModule();
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil users sign-out" });
    try {
      const result = await signOutUser(db, config, email);
      if (result === null)
        throw new CliError(`no user has the email ${JSON.stringify(email)}`, { exitCode: EXIT_REJECTED });
      context.out(
        `signed out ${email}: ${result.sessionsEnded} session(s) ended; access tokens issued before ${result.tokensBefore.toISOString()} are refused`,
      );
      return EXIT_OK;
    } finally {
      await close();
    }
  },
};

export const usersCommand: Command = {
  name: "users",
  summary: "manage the auth server's users (users import, users sign-out)",
  help: `Usage: sigil users <command>

Manages the users in the auth server's database (see 'sigil serve --help').`,
  subcommands: [importUsersCommand, signOutUserCommand],
  run: () => Promise.reject(new Error("sigil users is a command group: dispatch() runs its subcommands")),
};
