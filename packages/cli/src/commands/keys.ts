import { parseArgs } from "node:util";
import { formatDuration } from "@sigil/jwt";
import { parseOrUsage } from "../lib/args.js";
import { parseTTL } from "../lib/duration.js";
import { CliError, EXIT_OK, EXIT_REJECTED } from "../lib/errors.js";
import { isoDate } from "../lib/times.js";
import type { Command } from "./command.js";
import { loadServerConfig, loadServerModule } from "./serve-config.js";
import { openAdminDatabase } from "./serve-database.js";
import { explainKeyError } from "./serve-errors.js";

export const rotateKeysCommand: Command = {
  name: "rotate",
  summary: "introduce a new signing key (published at once, signing after the JWKS caches refresh)",
  help: `Usage: sigil keys rotate [--if-older-than DURATION]

Starts a signing-key rotation in the auth server's database. The new key is published in the
JWKS at once and starts signing only after every verifier's cached JWKS has expired
(SIGIL_JWKS_MAX_AGE plus a margin), so no verifier meets a token signed by a key it has not
seen. The current key stops signing at that moment and stays published until every token it
signed has expired. Nothing restarts: on PostgreSQL the rotation is announced (NOTIFY
sigil_keys) and running servers publish the new key at once; each also re-reads the keys every
SIGIL_JWKS_MAX_AGE / 2 (5 s to 1 min), should a notification be lost. With PGlite no server runs
beside this command: the server publishes the key when it starts.

It reads the same settings as 'sigil serve' (DATABASE_URL or SIGIL_DATA_DIR,
SIGIL_KEY_ENCRYPTION_KEY, SIGIL_SIGNING_ALG, …): run it with the server's environment. The
embedded PGlite database can be opened by one process at a time, so with PGlite stop the server
first; with PostgreSQL it runs beside any number of servers.

Options:
  --if-older-than DURATION   rotate only if the signing key has signed for longer (e.g. 30d, 12h)
                             — for cron; otherwise exits 0 without a change

Examples:
  sigil keys rotate
  sigil keys rotate --if-older-than 30d`,

  async run(args, context) {
    const { values } = parseOrUsage("keys rotate", () =>
      parseArgs({
        args: [...args],
        options: { "if-older-than": { type: "string" } },
        strict: true,
        allowPositionals: false,
      }),
    );
    const olderThan = values["if-older-than"];
    const ifOlderThanSeconds = olderThan === undefined ? undefined : parseTTL("--if-older-than", olderThan);
    const config = await loadServerConfig(context.io.env);
    const { KeyManager, reloadIntervalMs, rotateKeys } = await loadServerModule();
    if (config.signingAlg === "HS256") {
      throw new CliError(
        "SIGIL_SIGNING_ALG is HS256 (single-service mode): it signs with SIGIL_HMAC_SECRET, which is rotated by changing that secret; there are no stored keys to rotate",
        { exitCode: EXIT_REJECTED },
      );
    }
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil keys rotate" });
    try {
      // Opening the key manager first proves that this SIGIL_KEY_ENCRYPTION_KEY opens the stored
      // keys: a new key sealed under a different KEK would leave the servers unable to sign.
      await (await KeyManager.open(db, config, { now: context.now })).stop();
      const result = await rotateKeys(db, config, {
        now: context.now,
        ...(ifOlderThanSeconds === undefined ? {} : { ifOlderThanSeconds }),
      });
      if (result === null) {
        context.out(`the signing key has signed for less than ${olderThan}: not rotated`);
        return EXIT_OK;
      }
      if (!result.created) context.out("a rotation is already pending: no new key was created");
      const startsIn = Math.max(0, Math.round((result.activatesAt.getTime() - context.now()) / 1000));
      const when = `${isoDate(result.activatesAt.getTime() / 1000)} (in ${formatDuration(startsIn)})`;
      context.out(`kid:        ${result.kid}`);
      context.out(`alg:        ${result.alg}`);
      context.out(
        config.databaseUrl === undefined
          ? "published:  when the server starts (PGlite: no server runs beside this command); start it before the time below"
          : `published:  now: running servers are notified and publish it at once (each also re-reads the keys every ${formatDuration(reloadIntervalMs(config) / 1000)})`,
      );
      context.out(`signs from: ${when}`);
      for (const kid of result.retired) {
        context.out(`retires:    ${kid} (stops signing then; stays in the JWKS until its tokens have expired)`);
      }
      if (result.created && config.keyEncryptionKey === undefined) {
        context.err(
          context.errStyle.yellow(
            "warning: SIGIL_KEY_ENCRYPTION_KEY is not set: the new private key is stored unencrypted (development only)",
          ),
        );
      }
      return EXIT_OK;
    } catch (error) {
      throw explainKeyError(error) ?? error;
    } finally {
      await close();
    }
  },
};

export const keysCommand: Command = {
  name: "keys",
  summary: "manage the auth server's signing keys (keys rotate)",
  help: `Usage: sigil keys <command>

Manages the signing keys stored in the auth server's database (see 'sigil serve --help').`,
  subcommands: [rotateKeysCommand],
  run: () => Promise.reject(new Error("sigil keys is a command group: dispatch() runs its subcommands")),
};
