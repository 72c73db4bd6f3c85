// Every message kind through a real SMTP exchange (smtp-server, parsed with mailparser): what a
// mail client receives is what the builders made, headers and both bodies, escaped and clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../src/config/index.js";
import { createMailer, type Mailer } from "../../src/mail/index.js";
import { startTestSmtpServer, TEST_PASSWORD, type TestSmtpServer } from "../../src/testing/index.js";
import { CODE, CODE_KINDS, everyMessage, HOSTILE_PRODUCT } from "./mail-samples.js";
import { captureLogger } from "./mail-test-support.js";

const SMTP_PASSWORD = "smtp-Pa55-for-the-relay";

let smtp: TestSmtpServer;
let mailer: Mailer;
before(async () => {
  smtp = await startTestSmtpServer({ auth: { user: "sigil", password: SMTP_PASSWORD } });
  // Configured as `sigil serve` would be: the settings, then createMailer.
  const config = loadConfig({
    SIGIL_SMTP_URL: smtp.url,
    SIGIL_MAIL_FROM: "Acme & 'Co', Accounts <no-reply@example.com>",
    SIGIL_PRODUCT_NAME: HOSTILE_PRODUCT,
  });
  mailer = createMailer(config, { logger: captureLogger().logger });
});
after(async () => {
  await mailer.close();
  await smtp.close();
});

test("each message kind arrives as built: headers, plain and HTML bodies, escaping, no password anywhere", async () => {
  const kinds = Object.entries(everyMessage("placeholder@example.com"));
  for (const [index, [kind]] of kinds.entries()) {
    const to = `reader-${index}@example.com`;
    const message = everyMessage(to)[kind as keyof ReturnType<typeof everyMessage>];
    await mailer.send(message);
    const mail = await smtp.nextMessage(to);

    assert.deepEqual(mail.envelope, { from: "no-reply@example.com", to: [to] }, kind);
    assert.equal(mail.user, "sigil");
    assert.deepEqual(mail.from, [{ name: "Acme & 'Co', Accounts", address: "no-reply@example.com" }]);
    assert.deepEqual(mail.to, [to]);
    assert.equal(mail.subject, message.subject, kind);
    assert.ok(mail.subject.includes(HOSTILE_PRODUCT), "the subject is decoded back to the very name");
    assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
    assert.equal(mail.text, message.text, kind);
    assert.equal(mail.html, message.html, kind);
    assert.ok(!mail.html.includes("<script") && !mail.html.includes("<img"), kind);
    assert.ok(mail.html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), kind);
    assert.equal(mail.text.includes(CODE), CODE_KINDS.includes(message.kind), kind);
    for (const password of [SMTP_PASSWORD, TEST_PASSWORD]) {
      assert.ok(!mail.raw.includes(password) && !mail.text.includes(password) && !mail.html.includes(password), kind);
    }
  }
  assert.equal(smtp.messages.length, kinds.length);
});
