import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SmtpServer } from "../../src/config/config.js";
import { createSmtpMailer, MailError, type Mailer } from "../../src/mail/index.js";
import { startTestSmtpServer, type TestSmtpServer } from "../../src/testing/index.js";
import { captureLogger, SAMPLE_CODE, sampleMessage } from "./mail-test-support.js";

const FROM = { name: "Sigil, Inc.", address: "no-reply@example.com" };
const USER = "sigil-mailer";
const PASSWORD = "smtp-Pa55-word:with@odd/chars";

function server(port: number, extra: Partial<SmtpServer> = {}): SmtpServer {
  return { host: "127.0.0.1", port, secure: false, requireTLS: false, ...extra };
}

/** The MailError a send fails with; asserts nothing secret or personal is in it. */
async function sendFailure(mailer: Mailer, message = sampleMessage()): Promise<MailError> {
  try {
    await mailer.send(message);
  } catch (error) {
    assert.ok(error instanceof MailError, `expected MailError, got ${String(error)}`);
    const said = JSON.stringify({ ...error, message: error.message });
    for (const secret of [PASSWORD, SAMPLE_CODE, message.to, message.subject].filter((text) => text !== "")) {
      assert.ok(!said.includes(secret), `${secret} leaked into ${said}`);
    }
    assert.equal(error.cause, undefined);
    return error;
  }
  assert.fail("the send succeeded");
}

describe("SMTP mailer, no authentication", () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startTestSmtpServer();
  });
  after(() => smtp.close());

  test("delivers one message: envelope, From with its name, To, Subject, Auto-Submitted, both bodies", async () => {
    const { logger, lines } = captureLogger();
    const mailer = createSmtpMailer({ server: server(smtp.port), from: FROM, logger });
    try {
      await mailer.send(sampleMessage());
      const mail = await smtp.nextMessage("alice@example.com");
      assert.deepEqual(mail.envelope, { from: "no-reply@example.com", to: ["alice@example.com"] });
      assert.equal(mail.user, undefined);
      assert.deepEqual(mail.from, [FROM]);
      assert.deepEqual(mail.to, ["alice@example.com"]);
      assert.equal(mail.subject, "Verify your email address");
      assert.equal(mail.text.trim(), "Your code is 493-817.");
      assert.equal(mail.html, "<p>Your code is <strong>493-817</strong>.</p>");
      assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
      assert.ok(mail.headers.has("message-id") && mail.headers.has("date"));
      assert.match(mail.headers.get("content-type") ?? "", /^multipart\/alternative/);
      // One line per message sent, saying what without the code.
      const [line, ...more] = lines();
      assert.deepEqual(more, []);
      assert.equal(line?.["msg"], "verification code sent");
      assert.equal(line?.["mailKind"], "verification-code");
      assert.match(String(line?.["smtpResponse"]), /^250 /);
      assert.ok(!JSON.stringify(lines()).includes(SAMPLE_CODE));
    } finally {
      await mailer.close();
    }
  });

  test("its description names the server without credentials", async () => {
    const mailer = createSmtpMailer({
      server: server(smtp.port, { auth: { user: USER, pass: PASSWORD } }),
      from: FROM,
      logger: captureLogger().logger,
    });
    assert.equal(mailer.description, `smtp://127.0.0.1:${smtp.port}`);
    await mailer.close();
    const v6 = createSmtpMailer({
      server: { ...server(465), host: "::1", secure: true },
      from: FROM,
      logger: captureLogger().logger,
    });
    assert.equal(v6.description, "smtps://[::1]:465");
    await v6.close();
  });

  test("a recipient that is not exactly one plain address is refused before anything is sent", async () => {
    const mailer = createSmtpMailer({ server: server(smtp.port), from: FROM, logger: captureLogger().logger });
    const before = smtp.messages.length;
    try {
      for (const to of [
        "alice@example.com, mallory@example.com",
        "alice@example.com\r\nBcc: mallory@example.com",
        "Alice <alice@example.com>",
        "alice",
        "alice@@example.com",
        "",
      ]) {
        const error = await sendFailure(mailer, sampleMessage({ to }));
        assert.equal(error.code, "MAIL_RECIPIENT_INVALID", to);
      }
      assert.equal(smtp.messages.length, before);
    } finally {
      await mailer.close();
    }
  });

  test("STARTTLS required (production off loopback) and not offered: a tls failure, nothing sent in clear", async () => {
    const mailer = createSmtpMailer({
      server: server(smtp.port, { requireTLS: true }),
      from: FROM,
      logger: captureLogger().logger,
    });
    const before = smtp.messages.length;
    try {
      const error = await sendFailure(mailer);
      assert.equal(error.code, "MAIL_SEND_FAILED");
      assert.equal(error.reason, "tls");
      assert.equal(smtp.messages.length, before);
    } finally {
      await mailer.close();
    }
  });

  test("a closed mailer refuses to send", async () => {
    const mailer = createSmtpMailer({ server: server(smtp.port), from: FROM, logger: captureLogger().logger });
    await mailer.close();
    await mailer.close();
    const error = await sendFailure(mailer);
    assert.equal(error.code, "MAIL_SEND_FAILED");
    assert.equal(error.reason, "closed");
  });
});

describe("SMTP mailer, user and password", () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startTestSmtpServer({ auth: { user: USER, password: PASSWORD } });
  });
  after(() => smtp.close());

  test("authenticates and delivers", async () => {
    const mailer = createSmtpMailer({
      server: server(smtp.port, { auth: { user: USER, pass: PASSWORD } }),
      from: FROM,
      logger: captureLogger().logger,
    });
    try {
      await mailer.send(sampleMessage({ to: "bob@example.com" }));
      const mail = await smtp.nextMessage("BOB@example.com");
      assert.equal(mail.user, USER);
      assert.ok(!mail.raw.includes(PASSWORD));
    } finally {
      await mailer.close();
    }
  });

  test("a wrong password: MAIL_SEND_FAILED, authentication, EAUTH and 535, no secret in the error", async () => {
    const mailer = createSmtpMailer({
      server: server(smtp.port, { auth: { user: USER, pass: `${PASSWORD}-wrong` } }),
      from: FROM,
      logger: captureLogger().logger,
    });
    try {
      const error = await sendFailure(mailer);
      assert.equal(error.code, "MAIL_SEND_FAILED");
      assert.equal(error.reason, "authentication");
      assert.equal(error.transportCode, "EAUTH");
      assert.equal(error.responseCode, 535);
      assert.equal(
        error.message,
        `mail to smtp://127.0.0.1:${smtp.port} not sent: the server refused the user and password of SIGIL_SMTP_URL, or asked for some (EAUTH, SMTP 535)`,
      );
      assert.ok(!error.message.includes(`${PASSWORD}-wrong`));
    } finally {
      await mailer.close();
    }
  });

  test("no credentials for a server that wants them: an authentication failure too", async () => {
    const mailer = createSmtpMailer({ server: server(smtp.port), from: FROM, logger: captureLogger().logger });
    try {
      const error = await sendFailure(mailer);
      assert.equal(error.code, "MAIL_SEND_FAILED");
      assert.equal(error.reason, "authentication");
      assert.equal(error.responseCode, 530);
    } finally {
      await mailer.close();
    }
  });
});

test("SMTP mailer: a server that is down is a connection failure", async () => {
  const gone = await startTestSmtpServer();
  const port = gone.port;
  await gone.close();
  const mailer = createSmtpMailer({
    server: server(port, { auth: { user: USER, pass: PASSWORD } }),
    from: FROM,
    logger: captureLogger().logger,
  });
  try {
    const error = await sendFailure(mailer);
    assert.equal(error.code, "MAIL_SEND_FAILED");
    assert.equal(error.reason, "connection");
    assert.ok(error.transportCode === "ECONNECTION" || error.transportCode === "ESOCKET", error.transportCode);
    assert.match(
      error.message,
      new RegExp(`^mail to smtp://127\\.0\\.0\\.1:${port} not sent: the server could not be reached`),
    );
  } finally {
    await mailer.close();
  }
});
