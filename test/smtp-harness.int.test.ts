// End-to-end tests at the repository root wait for mail through the public harness, as the
// server's own tests do: a real server whose SIGIL_SMTP_URL is a test SMTP server. This checks
// that path from outside the package (exports, optional peer dependencies resolved from here).
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer, startTestSmtpServer } from "@sigil/server/testing";

test("@sigil/server/testing: a test server's mail reaches the test SMTP server", async () => {
  const smtp = await startTestSmtpServer({ auth: { user: "e2e", password: "e2e-Pa55" } });
  const server = await startTestServer({
    env: { SIGIL_SMTP_URL: smtp.url, SIGIL_MAIL_FROM: "E2E <no-reply@example.com>" },
  });
  try {
    const to = "e2e-reader@example.com";
    const arrival = smtp.nextMessage(to);
    await server.context.mailer.send({
      kind: "password-changed",
      to,
      subject: "root harness",
      text: "plain",
      html: "<p>html</p>",
    });
    const mail = await arrival;
    assert.equal(mail.subject, "root harness");
    assert.equal(mail.user, "e2e");
    assert.deepEqual(mail.from, [{ name: "E2E", address: "no-reply@example.com" }]);
  } finally {
    await server.close();
    await smtp.close();
  }
});
