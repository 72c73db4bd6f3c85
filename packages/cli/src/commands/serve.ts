import { parseArgs } from "node:util";
import { parseOrUsage } from "../lib/args.js";
import { EXIT_OK } from "../lib/errors.js";
import type { Command } from "./command.js";
import { loadServerConfig, loadServerModule } from "./serve-config.js";
import { explainServerError } from "./serve-errors.js";

export const serveCommand: Command = {
  name: "serve",
  summary: "run the auth server (embedded PGlite in ./.sigil-data, or PostgreSQL with DATABASE_URL)",
  help: `Usage: sigil serve

Runs the Sigil auth server: registration, password login, rotating refresh tokens, logout,
userinfo, the OAuth token, revocation and introspection endpoints, and the JWKS.

It is configured from the environment (or a JSON file named by SIGIL_CONFIG_FILE); every setting
and its default is in docs/configuration.md. A missing, weak or malformed setting stops the start
with one line naming it. When ready it prints one line: the address, issuer, JWKS URL, database,
signing algorithm, where mail goes, and a WARNING for each insecure development default still in force.
SIGTERM or Ctrl-C stops it gracefully: requests in flight finish, then the database is closed.

Main settings:
  SIGIL_PORT                 port to listen on (default 3000)
  SIGIL_HOST                 address to listen on (default 127.0.0.1)
  SIGIL_ISSUER               public URL of this server (default http://localhost:PORT; required in production)
  DATABASE_URL               postgres://… to use PostgreSQL (default: embedded PGlite)
  SIGIL_DATA_DIR             PGlite's directory (default ./.sigil-data; one process at a time)
  SIGIL_ENV                  development (default) or production, which refuses insecure defaults
  SIGIL_KEY_ENCRYPTION_KEY   encrypts private signing keys at rest (make one with 'sigil secret')
  SIGIL_SMTP_URL             smtps://user:password@host: the mail server for codes and notices (required in
                             production unless SIGIL_ACCOUNT_RECOVERY=false; development writes an outbox)
  SIGIL_MAIL_FROM            the sender, like 'Example <no-reply@example.com>'

Examples:
  sigil serve
  SIGIL_PORT=8080 sigil serve
  SIGIL_ENV=production SIGIL_ISSUER=https://auth.example.com SIGIL_KEY_ENCRYPTION_KEY=<from sigil secret, kept> \\
    SIGIL_METRICS_ADDRESS=127.0.0.1:9464 \\
    SIGIL_SMTP_URL=smtps://sigil:<password>@smtp.example.com SIGIL_MAIL_FROM='Example <no-reply@example.com>' \\
    DATABASE_URL=postgres://sigil@db.internal/sigil sigil serve`,

  async run(args, context) {
    parseOrUsage("serve", () => parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false }));
    const config = await loadServerConfig(context.io.env);
    const { startServer } = await loadServerModule();
    try {
      // On SIGTERM/SIGINT startServer closes the server and the database (releasing PGlite's
      // directory lock), then exits.
      await startServer(config, { print: (line) => context.out(line) });
    } catch (error) {
      throw explainServerError(error, config);
    }
    // The listening socket keeps the process alive after this returns.
    return EXIT_OK;
  },
};
