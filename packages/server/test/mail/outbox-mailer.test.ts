import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { simpleParser } from "mailparser";
import { loadConfig } from "../../src/config/index.js";
import { createMailer, createOutboxMailer, MailError, type Mailer } from "../../src/mail/index.js";
import { captureLogger, SAMPLE_CODE, sampleMessage } from "./mail-test-support.js";

const FROM = { name: "Sigil", address: "no-reply@localhost" };
const T0 = Date.UTC(2026, 0, 31, 9, 5, 7, 123);
const root = mkdtempSync(join(tmpdir(), "sigil-outbox-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshDirectory(): string {
  return join(root, `outbox-${++counter}`, "nested");
}

async function failure(mailer: Mailer): Promise<MailError> {
  try {
    await mailer.send(sampleMessage());
  } catch (error) {
    assert.ok(error instanceof MailError, String(error));
    assert.ok(!error.message.includes(SAMPLE_CODE) && !error.message.includes("alice@example.com"));
    return error;
  }
  assert.fail("the send succeeded");
}

describe("outbox mailer", () => {
  test("writes one RFC 5322 message per send, mode 0600, named by time, and logs one line without the code", async () => {
    const directory = freshDirectory();
    const { logger, lines } = captureLogger();
    const mailer = createOutboxMailer({ directory, from: FROM, logger, now: () => T0 });
    assert.equal(mailer.description, `outbox ${directory}`);
    assert.equal(existsSync(directory), false, "nothing is created before the first message");

    await mailer.send(sampleMessage());
    const files = readdirSync(directory);
    assert.equal(files.length, 1);
    const [name] = files as [string];
    assert.match(name, /^2026-01-31T09-05-07\.123Z-verification-code-[0-9a-f]{8}\.eml$/);
    const file = join(directory, name);
    if (process.platform !== "win32") {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(directory).mode & 0o077, 0);
    }

    const raw = readFileSync(file, "utf8");
    assert.ok(!/[^\r]\n/.test(raw), "CRLF line ends throughout (RFC 5322 §2.1)");
    const parsed = await simpleParser(raw);
    assert.deepEqual(parsed.from?.value, [{ name: "Sigil", address: "no-reply@localhost" }]);
    assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined, "alice@example.com");
    assert.equal(parsed.subject, "Verify your email address");
    assert.equal(parsed.headers.get("auto-submitted"), "auto-generated");
    assert.ok(parsed.messageId && parsed.date);
    assert.equal(parsed.text?.trim(), "Your code is 493-817.");
    assert.equal(parsed.html, "<p>Your code is <strong>493-817</strong>.</p>");

    const logged = lines();
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.["level"], 30, "info");
    assert.equal(logged[0]?.["msg"], "verification code for alice@example.com written to the outbox");
    assert.equal(logged[0]?.["file"], file);
    assert.equal(logged[0]?.["subject"], "Verify your email address");
    assert.ok(!JSON.stringify(logged).includes(SAMPLE_CODE), "the code stays in the file");
    await mailer.close();
  });

  test("file names sort in the order the messages were written", async () => {
    const directory = freshDirectory();
    let clock = T0;
    const mailer = createOutboxMailer({ directory, from: FROM, logger: captureLogger().logger, now: () => clock });
    const kinds = ["password-reset", "password-changed", "email-change-notice"] as const;
    for (const [index, kind] of kinds.entries()) {
      // Across a second, a minute and a day boundary: the stamp is fixed-width, so text order is time order.
      clock = T0 + [0, 999, 86_400_000][index]!;
      await mailer.send(sampleMessage({ kind }));
    }
    const sorted = readdirSync(directory).sort();
    assert.deepEqual(
      sorted.map((name) => name.replace(/^.{24}-/, "").replace(/-[0-9a-f]{8}\.eml$/, "")),
      [...kinds],
    );
  });

  test("an outbox that cannot be written: MAIL_SEND_FAILED, reason outbox, the errno, no recipient or code", async () => {
    const blocker = join(root, "a-file");
    writeFileSync(blocker, "");
    const mailer = createOutboxMailer({
      directory: join(blocker, "outbox"),
      from: FROM,
      logger: captureLogger().logger,
    });
    const error = await failure(mailer);
    assert.equal(error.code, "MAIL_SEND_FAILED");
    assert.equal(error.reason, "outbox");
    assert.equal(error.transportCode, "ENOTDIR");
    assert.match(error.message, /SIGIL_MAIL_OUTBOX/);
  });

  test("a bad recipient is refused and nothing is written; a closed mailer refuses too", async () => {
    const directory = freshDirectory();
    const mailer = createOutboxMailer({ directory, from: FROM, logger: captureLogger().logger });
    await assert.rejects(mailer.send(sampleMessage({ to: "a@example.com,b@example.com" })), {
      code: "MAIL_RECIPIENT_INVALID",
    });
    assert.equal(existsSync(directory), false);
    await mailer.close();
    assert.equal((await failure(mailer)).reason, "closed");
  });
});

describe("createMailer", () => {
  test("picks the transport the configuration decided", async () => {
    const logger = captureLogger().logger;
    const outbox = createMailer(loadConfig({ SIGIL_MAIL_OUTBOX: "/tmp/sigil-mail" }), { logger });
    assert.equal(outbox.description, "outbox /tmp/sigil-mail");
    const smtp = createMailer(loadConfig({ SIGIL_SMTP_URL: "smtps://u:secret-pw@mail.example.com" }), { logger });
    assert.equal(smtp.description, "smtps://mail.example.com:465");
    await Promise.all([outbox.close(), smtp.close()]);
  });

  test("production without mail: sends are refused with MAIL_NOT_CONFIGURED, not dropped", async () => {
    const mailer = createMailer({ mail: { transport: "none" } }, { logger: captureLogger().logger });
    assert.equal(mailer.description, "off");
    const error = await failure(mailer);
    assert.equal(error.code, "MAIL_NOT_CONFIGURED");
    await mailer.close();
  });
});
