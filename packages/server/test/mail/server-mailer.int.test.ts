// The mailer in a running server: built from the settings by openServerContext, named on the
// start-up line, closed with the server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { createMailer, MailError, type Mailer, type MailMessage } from "../../src/mail/index.js";
import { startServer, summaryLine } from "../../src/serve.js";
import { startTestSmtpServer, type TestSmtpServer } from "../../src/testing/index.js";
import { captureLogger, sampleMessage } from "./mail-test-support.js";

const SMTP_PASSWORD = "relay-Pa55word";

describe("the server's mailer", () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startTestSmtpServer({ auth: { user: "sigil", password: SMTP_PASSWORD } });
  });
  after(() => smtp.close());

  test("SIGIL_SMTP_URL: the context's mailer sends through it, the start-up line names it without credentials", async () => {
    const lines: string[] = [];
    const config = loadConfig({
      SIGIL_HOST: "127.0.0.1",
      SIGIL_PORT: "0",
      SIGIL_DATA_DIR: "memory",
      SIGIL_SMTP_URL: smtp.url,
      SIGIL_MAIL_FROM: "Sigil <no-reply@example.com>",
    });
    const server = await startServer(config, {
      print: (line) => lines.push(line),
      handleSignals: false,
      background: false,
      log: "silent",
    });
    try {
      assert.equal(lines.length, 1);
      assert.ok(lines[0]?.includes(` | mail smtp://127.0.0.1:${smtp.port}`), lines[0]);
      assert.ok(!lines[0]?.includes(SMTP_PASSWORD) && !lines[0]?.includes("sigil:"), lines[0]);
      await server.context.mailer.send(sampleMessage({ to: "wired@example.com" }));
      const mail = await smtp.nextMessage("wired@example.com");
      assert.equal(mail.user, "sigil");
    } finally {
      await server.close();
    }
    // Closed with the server.
    await assert.rejects(server.context.mailer.send(sampleMessage()), (error: unknown) => {
      assert.ok(error instanceof MailError && error.reason === "closed");
      return true;
    });
  });

  test("a mailer given to the server is used and left open for its owner", async () => {
    const sent: MailMessage[] = [];
    let closed = false;
    const recorder: Mailer = {
      description: "recorder",
      async send(message) {
        sent.push(message);
      },
      async close() {
        closed = true;
      },
    };
    const config = loadConfig({ SIGIL_HOST: "127.0.0.1", SIGIL_PORT: "0", SIGIL_DATA_DIR: "memory" });
    const given = await startServer(config, {
      print: () => {},
      handleSignals: false,
      background: false,
      log: "silent",
      mailer: recorder,
    });
    try {
      assert.equal(given.context.mailer, recorder);
      await given.context.mailer.send(sampleMessage());
      assert.equal(sent.length, 1);
    } finally {
      await given.close();
    }
    assert.equal(closed, false);
  });
});

test("summaryLine names where mail goes: SMTP, the outbox, or off", async () => {
  const db = { description: "PGlite (in memory)" };
  const logger = captureLogger().logger;
  const cases: Array<[Record<string, string>, string]> = [
    [{ SIGIL_SMTP_URL: "smtps://user:hunter2-secret@mail.example.com" }, "mail smtps://mail.example.com:465"],
    [{}, "mail outbox ./.sigil-data/outbox"],
  ];
  for (const [env, expected] of cases) {
    const config = loadConfig(env);
    const mailer = createMailer(config, { logger });
    const line = summaryLine(config, db, "http://127.0.0.1:3000", mailer);
    assert.ok(line.includes(` | ${expected}`), line);
    assert.ok(!line.includes("hunter2"), line);
    await mailer.close();
  }
  const off = summaryLine(
    loadConfig({}),
    db,
    "http://127.0.0.1:3000",
    createMailer({ mail: { transport: "none" } }, { logger }),
  );
  assert.ok(off.includes(" | mail off"), off);
});
