import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/index.js";

const PASSWORD = "s3cret-mail-Pa55";
const PROD = {
  SIGIL_ENV: "production",
  SIGIL_ISSUER: "https://auth.example.com",
  SIGIL_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
  SIGIL_METRICS_ADDRESS: "127.0.0.1:9464",
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.code, "CONFIG_INVALID");
    assert.ok(!error.message.includes("\n"), "one line");
    return error;
  }
  assert.fail("expected a ConfigError");
}

describe("mail settings: failures", () => {
  test("production with account recovery on and no SMTP server refuses to start, naming SIGIL_SMTP_URL and both fixes", () => {
    for (const env of [PROD, { ...PROD, SIGIL_ACCOUNT_RECOVERY: "true" }]) {
      const error = configError(() => loadConfig(env));
      assert.equal(error.setting, "SIGIL_SMTP_URL");
      assert.match(error.message, /^SIGIL_SMTP_URL: is required in production while account recovery is on/);
      assert.match(error.message, /Set SIGIL_SMTP_URL .* and SIGIL_MAIL_FROM/);
      assert.match(error.message, /SIGIL_ACCOUNT_RECOVERY=false/);
    }
  });

  test("NODE_ENV=production alone is production for mail too", () => {
    const { SIGIL_ENV: _, ...rest } = PROD;
    assert.equal(configError(() => loadConfig({ ...rest, NODE_ENV: "production" })).setting, "SIGIL_SMTP_URL");
  });

  test("production with SMTP needs SIGIL_MAIL_FROM", () => {
    const error = configError(() => loadConfig({ ...PROD, SIGIL_SMTP_URL: "smtps://smtp.example.com" }));
    assert.equal(error.setting, "SIGIL_MAIL_FROM");
    assert.match(error.message, /required in production with SIGIL_SMTP_URL/);
  });

  test("production refuses the outbox, with or without SMTP", () => {
    const env = { ...PROD, SIGIL_ACCOUNT_RECOVERY: "false", SIGIL_MAIL_OUTBOX: "/tmp/outbox" };
    assert.equal(configError(() => loadConfig(env)).setting, "SIGIL_MAIL_OUTBOX");
  });

  test("the outbox and SMTP together are refused: it would be unclear where mail goes", () => {
    const env = { SIGIL_SMTP_URL: "smtp://127.0.0.1:2525", SIGIL_MAIL_OUTBOX: "/tmp/outbox" };
    assert.equal(configError(() => loadConfig(env)).setting, "SIGIL_MAIL_OUTBOX");
  });

  test("SMTP URLs: wrong scheme, query options, a path, half the credentials, no host", () => {
    for (const url of [
      "http://smtp.example.com",
      "smtp://smtp.example.com?tls.rejectUnauthorized=false",
      "smtp://smtp.example.com/#x",
      "smtp://smtp.example.com/relay",
      `smtp://user@smtp.example.com`,
      `smtp://:${PASSWORD}@smtp.example.com`,
      "smtp://",
      "not a url",
      "smtp://smtp.example.com:99999",
      "smtp://smtp.example.com:0",
    ]) {
      const error = configError(() => loadConfig({ SIGIL_SMTP_URL: url }));
      assert.equal(error.setting, "SIGIL_SMTP_URL", url);
    }
  });

  test("an SMTP URL's password is never echoed", () => {
    for (const url of [
      `smtp://user:${PASSWORD}@smtp.example.com?pool=true`,
      `smtp://user:${PASSWORD}@smtp.example.com/path`,
      `ftp://user:${PASSWORD}@smtp.example.com`,
      `smtp://user:${PASSWORD}%zz@smtp.example.com`,
    ]) {
      const error = configError(() => loadConfig({ SIGIL_SMTP_URL: url }));
      assert.ok(!error.message.includes(PASSWORD), error.message);
    }
  });

  test("sender addresses: no address, two addresses, header injection, quoting characters", () => {
    for (const from of [
      "Sigil",
      "Sigil <>",
      "a@example.com, b@example.com",
      "Sigil <a@example.com> <b@example.com>",
      "no-reply@example.com\r\nBcc: victim@example.com",
      'Sig"il <no-reply@example.com>',
      "Sigil\u0000 <no-reply@example.com>",
      "no reply@example.com",
      "no-reply@-example.com",
    ]) {
      assert.equal(configError(() => loadConfig({ SIGIL_MAIL_FROM: from })).setting, "SIGIL_MAIL_FROM", from);
    }
  });

  test("a product name with a line break or over 64 characters", () => {
    for (const name of ["Sigil\nBcc: x@example.com", "x".repeat(65), "A\u200bB"]) {
      assert.equal(configError(() => loadConfig({ SIGIL_PRODUCT_NAME: name })).setting, "SIGIL_PRODUCT_NAME");
    }
  });
});

describe("mail settings: values", () => {
  test("development defaults: the outbox in the data directory, a localhost sender named after the product", () => {
    const config = loadConfig({});
    assert.equal(config.accountRecovery, true);
    assert.equal(config.productName, "Sigil");
    assert.deepEqual(config.mail, {
      transport: "outbox",
      directory: "./.sigil-data/outbox",
      from: { name: "Sigil", address: "no-reply@localhost" },
    });
  });

  test("the outbox follows SIGIL_DATA_DIR, stays out of the project for an in-memory database, and SIGIL_MAIL_OUTBOX wins", () => {
    assert.deepEqual(loadConfig({ SIGIL_DATA_DIR: "/var/lib/sigil/" }).mail, {
      transport: "outbox",
      directory: "/var/lib/sigil/outbox",
      from: { name: "Sigil", address: "no-reply@localhost" },
    });
    const memory = loadConfig({ SIGIL_DATA_DIR: "memory" }).mail;
    assert.ok(memory.transport === "outbox" && memory.directory === join(tmpdir(), "sigil-outbox"));
    const withUrl = loadConfig({ DATABASE_URL: "postgres://db/sigil" }).mail;
    assert.ok(withUrl.transport === "outbox" && withUrl.directory === "./.sigil-data/outbox");
    const chosen = loadConfig({ SIGIL_MAIL_OUTBOX: "/tmp/mail", SIGIL_PRODUCT_NAME: "Acme ID" }).mail;
    assert.deepEqual(chosen, {
      transport: "outbox",
      directory: "/tmp/mail",
      from: { name: "Acme ID", address: "no-reply@localhost" },
    });
  });

  test("production with SMTP: credentials decoded, default ports, STARTTLS required off loopback", () => {
    const config = loadConfig({
      ...PROD,
      SIGIL_SMTP_URL: "smtp://mailer%40example.com:p%40ss%3Aword@smtp.example.com",
      SIGIL_MAIL_FROM: '"Example, Inc." <no-reply@example.com>',
    });
    assert.deepEqual(config.mail, {
      transport: "smtp",
      smtp: {
        host: "smtp.example.com",
        port: 587,
        secure: false,
        requireTLS: true,
        auth: { user: "mailer@example.com", pass: "p@ss:word" },
      },
      from: { name: "Example, Inc.", address: "no-reply@example.com" },
    });
    assert.deepEqual(config.warnings, []);
    const implicit = loadConfig({
      ...PROD,
      SIGIL_SMTP_URL: "smtps://smtp.example.com",
      SIGIL_MAIL_FROM: "a@example.com",
    });
    assert.deepEqual(implicit.mail, {
      transport: "smtp",
      smtp: { host: "smtp.example.com", port: 465, secure: true, requireTLS: false },
      from: { address: "a@example.com" },
    });
    const local = loadConfig({ ...PROD, SIGIL_SMTP_URL: "smtp://[::1]:25", SIGIL_MAIL_FROM: "a@example.com" });
    assert.ok(local.mail.transport === "smtp");
    assert.deepEqual(local.mail.smtp, { host: "::1", port: 25, secure: false, requireTLS: false });
  });

  test("development with SMTP and no sender: the localhost sender, with a warning", () => {
    const config = loadConfig({ SIGIL_SMTP_URL: "smtp://smtp.internal:2525" });
    assert.ok(config.mail.transport === "smtp" && !config.mail.smtp.requireTLS);
    assert.deepEqual(config.mail.from, { name: "Sigil", address: "no-reply@localhost" });
    assert.ok(config.warnings.some((warning) => warning.startsWith("SIGIL_MAIL_FROM not set")));
  });

  test("production with account recovery off and no SMTP server sends no mail", () => {
    const config = loadConfig({ ...PROD, SIGIL_ACCOUNT_RECOVERY: "false" });
    assert.equal(config.accountRecovery, false);
    assert.deepEqual(config.mail, { transport: "none" });
  });
});
