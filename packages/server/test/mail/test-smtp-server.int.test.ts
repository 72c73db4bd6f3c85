// The harness's SMTP server (src/testing/test-smtp-server.ts), which mail tests here and the
// end-to-end tests at the repository root rely on to wait for a message without sleeping.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createSmtpMailer } from "../../src/mail/index.js";
import { startTestSmtpServer } from "../../src/testing/index.js";
import { captureLogger, sampleMessage } from "./mail-test-support.js";

test("nextMessage: takes what arrived before the call, waits for what has not, per recipient", async () => {
  const smtp = await startTestSmtpServer();
  const mailer = createSmtpMailer({
    server: { host: smtp.host, port: smtp.port, secure: false, requireTLS: false },
    from: { address: "no-reply@example.com" },
    logger: captureLogger().logger,
  });
  try {
    assert.equal(smtp.url, `smtp://127.0.0.1:${smtp.port}`);
    await mailer.send(sampleMessage({ to: "early@example.com", subject: "first" }));
    assert.equal((await smtp.nextMessage("early@example.com")).subject, "first");

    // Waiting before the message exists: resolved by its arrival, and only by a message for that recipient.
    const forCarol = smtp.nextMessage("carol@example.com");
    const forDave = smtp.nextMessage("Dave@Example.com");
    await mailer.send(sampleMessage({ to: "dave@example.com", subject: "for dave" }));
    await mailer.send(sampleMessage({ to: "carol@example.com", subject: "for carol" }));
    assert.equal((await forCarol).subject, "for carol");
    assert.equal((await forDave).subject, "for dave");

    // A message is taken once: the next wait for the same recipient is for a new message.
    const again = smtp.nextMessage("early@example.com");
    await mailer.send(sampleMessage({ to: "early@example.com", subject: "second" }));
    assert.equal((await again).subject, "second");
    assert.deepEqual(
      smtp.messages.map((mail) => mail.subject),
      ["first", "for dave", "for carol", "second"],
    );
  } finally {
    await mailer.close();
    await smtp.close();
  }
});

test("nextMessage rejects when its signal aborts or the server closes first", async () => {
  const smtp = await startTestSmtpServer({ auth: { user: "u", password: "p@ss word" } });
  assert.equal(smtp.url, `smtp://u:p%40ss%20word@127.0.0.1:${smtp.port}`);
  const controller = new AbortController();
  const aborted = smtp.nextMessage("nobody@example.com", { signal: controller.signal });
  controller.abort(new Error("gave up"));
  await assert.rejects(aborted, /gave up/);
  const pending = smtp.nextMessage("nobody@example.com");
  await smtp.close();
  await assert.rejects(pending, /closed before a message for nobody@example.com arrived/);
  await assert.rejects(smtp.nextMessage("nobody@example.com"), /is closed/);
});
