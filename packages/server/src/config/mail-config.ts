import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MailAddress, MailConfig } from "./config.js";
import { ConfigError } from "./config-error.js";
import { isLoopbackHost } from "./issuer.js";
import { readSetting } from "./setting.js";
import { SIGIL_ACCOUNT_RECOVERY, SIGIL_MAIL_FROM, SIGIL_MAIL_OUTBOX, SIGIL_SMTP_URL } from "./settings.js";

type Get = (name: string) => string | undefined;

/** Where SIGIL_DATA_DIR=memory (a throw-away database: tests) puts the outbox: no directory of the project. */
const MEMORY_OUTBOX = join(tmpdir(), "sigil-outbox");

/**
 * The mail settings, checked against each other and the mode. Production must be able to send
 * what the email flows promise — a reset code that never arrives locks the user out — so with
 * account recovery on (the default) it refuses to start without SIGIL_SMTP_URL, and it refuses
 * the development outbox, which would leave codes in files on the server.
 */
export function readMailConfig(
  get: Get,
  options: { production: boolean; dataDir: string; productName: string },
): { accountRecovery: boolean; mail: MailConfig; warnings: string[] } {
  const warnings: string[] = [];
  const accountRecovery = readSetting(SIGIL_ACCOUNT_RECOVERY, get) ?? true;
  const smtp = readSetting(SIGIL_SMTP_URL, get);
  const from = readSetting(SIGIL_MAIL_FROM, get);
  const outbox = readSetting(SIGIL_MAIL_OUTBOX, get);
  const developmentFrom: MailAddress = { name: options.productName, address: "no-reply@localhost" };

  if (outbox !== undefined && options.production) {
    throw new ConfigError(
      "SIGIL_MAIL_OUTBOX",
      "is for development only (it would leave codes in files on the server); unset it and set SIGIL_SMTP_URL",
    );
  }
  if (outbox !== undefined && smtp !== undefined) {
    throw new ConfigError(
      "SIGIL_MAIL_OUTBOX",
      "is used only without SIGIL_SMTP_URL, and both are set; unset one of them so it is clear where mail goes",
    );
  }

  if (smtp !== undefined) {
    if (from === undefined && options.production) {
      throw new ConfigError(
        "SIGIL_MAIL_FROM",
        "is required in production with SIGIL_SMTP_URL: the sender of every message, like `Example <no-reply@example.com>`, on a domain whose SPF and DKIM cover the mail server",
      );
    }
    if (from === undefined) {
      warnings.push(
        `SIGIL_MAIL_FROM not set: mail is sent as ${developmentFrom.address}, which real mail servers refuse (development only)`,
      );
    }
    // STARTTLS that a network attacker strips would leave the password and the codes in clear;
    // a loopback relay (a local MTA, a development catcher) has no network in between.
    const requireTLS = options.production && !smtp.secure && !isLoopbackHost(smtp.host);
    return {
      accountRecovery,
      mail: { transport: "smtp", smtp: { ...smtp, requireTLS }, from: from ?? developmentFrom },
      warnings,
    };
  }

  if (options.production) {
    if (accountRecovery) {
      throw new ConfigError(
        "SIGIL_SMTP_URL",
        "is required in production while account recovery is on (SIGIL_ACCOUNT_RECOVERY, on by default): without a mail server no verification or password-reset code can reach anyone. Set SIGIL_SMTP_URL (smtps://user:password@smtp.example.com:465) and SIGIL_MAIL_FROM, or set SIGIL_ACCOUNT_RECOVERY=false to run without email flows",
      );
    }
    return { accountRecovery, mail: { transport: "none" }, warnings };
  }

  const directory =
    outbox ?? (options.dataDir === "memory" ? MEMORY_OUTBOX : `${options.dataDir.replace(/[\\/]+$/, "")}/outbox`);
  return { accountRecovery, mail: { transport: "outbox", directory, from: from ?? developmentFrom }, warnings };
}
