// The hosted pages in Chromium, as a person uses them: sign up, read the code from a real SMTP
// server, verify, sign in, see the session on the account page, sign another device out and see
// its token refused by a real verifier fed by the revocation feed, forget the password, reset it,
// and see every old session refused everywhere. A form posted from another site is refused. No
// page logs an error or violates its Content-Security-Policy.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  describeEachDatabase,
  type ReceivedMail,
  startTestServer,
  startTestSmtpServer,
  type TestServer,
  type TestSmtpServer,
  uniqueEmail,
} from "@sigil/server/testing";
import { type AccessTokenVerifier, createAccessTokenVerifier, silentLogger } from "@sigil/verifier";
import type { Page } from "playwright-core";
import { assertNoBrowserErrors, describeInBrowser, newPage } from "../support/browser.js";
import { file, type StaticServer, startStaticServer } from "../support/static-server.js";
import { eventually, refuses } from "../support/verifier-events.js";

/** Only turns a hang into a failure; the tests wait for events, not for time. */
const SAFETY_TIMEOUT = 120_000;
const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "an entirely new passphrase";

function codeOf(mail: ReceivedMail): string {
  const code = /\b([2-9A-Z]{4}-[2-9A-Z]{4})\b/.exec(mail.text)?.[1];
  assert.ok(code, `a code in:\n${mail.text}`);
  return code;
}

describeInBrowser("hosted pages in Chromium", (getBrowser) => {
  describeEachDatabase("with a verifier on the revocation feed", (getDb) => {
    let smtp: TestSmtpServer;
    let sigil: TestServer;
    let verifier: AccessTokenVerifier;
    let attacker: StaticServer;

    before(async () => {
      smtp = await startTestSmtpServer();
      sigil = await startTestServer({
        database: getDb(),
        env: {
          SIGIL_SMTP_URL: smtp.url,
          SIGIL_MAIL_FROM: "Sigil <no-reply@example.com>",
          SIGIL_REQUIRE_VERIFIED_EMAIL: "true",
        },
      });
      const feed = await sigil.createClient({ name: "verifier", grantTypes: [], permissions: ["revocation-feed"] });
      verifier = createAccessTokenVerifier({
        issuer: sigil.issuer,
        audience: sigil.audience,
        algorithms: ["EdDSA"],
        revocation: { clientId: feed.client.id, clientSecret: feed.secret ?? "" },
        logger: silentLogger,
      });
      await verifier.ready();
      // A page of another site that posts a form to Sigil's sign-out, as a CSRF attack would.
      attacker = await startStaticServer({
        files: {
          "/": file(
            "index.html",
            `<!doctype html><title>win a prize</title><form method="post" action="${sigil.url}/sign-out"><button>Claim</button></form>`,
          ),
        },
      });
    });
    after(async () => {
      verifier?.close();
      await attacker?.close();
      await sigil?.close();
      await smtp?.close();
    });

    async function signInOn(page: Page, email: string, password: string): Promise<void> {
      await page.goto(`${sigil.url}/sign-in`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Your account" }).waitFor();
    }

    test("sign up → verify by mail → sign in → sign a device out → reset the password", {
      timeout: SAFETY_TIMEOUT,
    }, async () => {
      const email = uniqueEmail("browser");
      const page = await newPage(getBrowser());

      // Sign up.
      await page.goto(`${sigil.url}/`);
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();

      // The code, from the mail the SMTP server received.
      await page.getByLabel("Code from the email").fill(codeOf(await smtp.nextMessage(email)));
      await page.getByRole("button", { name: "Verify email" }).click();
      await page.getByText("Your email address is verified").waitFor();

      // Sign in; the account page lists this session.
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      assert.equal(await page.getByText("This device", { exact: true }).count(), 1);
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === "sigil_session");
      assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
      assert.equal(session?.sameSite, "Lax");
      assert.equal(await page.evaluate(() => document.cookie), "", "no cookie a script can read");

      // Another device, through the API: accepted by the verifier, listed on the account page.
      const user = await sigil.request("POST", "/auth/login", { json: { email, password: PASSWORD } });
      assert.equal(user.status, 200);
      const otherToken = user.body.access_token as string;
      verifier.verify(otherToken);
      await page.reload();
      const otherRow = page.locator(".sessions li").filter({ hasNotText: "This device" });
      assert.equal(await otherRow.count(), 1);

      // Sign it out from here: the verifier refuses its token at once.
      await otherRow.getByRole("button", { name: /^Sign out/ }).click();
      await page.getByText("That session has been signed out").waitFor();
      await eventually(() => refuses(verifier, otherToken), "the verifier refuses the signed-out session's token");
      await assertNoBrowserErrors(page);

      // A second API session to see the reset reach it, then sign out and forget the password.
      const before = await sigil.request("POST", "/auth/login", { json: { email, password: PASSWORD } });
      const beforeToken = before.body.access_token as string;
      verifier.verify(beforeToken);
      await page.getByRole("button", { name: "Sign out of this device" }).click();
      await page.getByText("You have signed out").waitFor();

      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send the code" }).click();
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("Code from the email").fill(codeOf(await smtp.nextMessage(email)));
      await page.getByLabel("New password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByText("Your password has been changed").waitFor();
      await eventually(() => refuses(verifier, beforeToken), "the verifier refuses a session older than the reset");
      const notice = await smtp.nextMessage(email);
      assert.match(notice.subject, /password/i);

      // The old password no longer works; the new one does.
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("The email or password is incorrect").waitFor();
      await page.getByLabel("Password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      // The wrong password's 401 is the point of that step.
      await assertNoBrowserErrors(page, { allow: [/status of 401/] });
      await page.context().close();
    });

    test("a form posted from another site is refused and leaves the user signed in", {
      timeout: SAFETY_TIMEOUT,
    }, async () => {
      const user = await sigil.createUser({ password: PASSWORD });
      const page = await newPage(getBrowser());
      await signInOn(page, user.email, PASSWORD);
      await page.goto(attacker.url);
      await page.getByRole("button", { name: "Claim" }).click();
      await page.getByRole("heading", { name: /This form (has expired|came from another site)/ }).waitFor();
      await page.goto(`${sigil.url}/account`);
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      await assertNoBrowserErrors(page, { allow: [/status of 403/] });
      await page.context().close();
    });

    test("keyboard only: every form can be filled and sent without a mouse", { timeout: SAFETY_TIMEOUT }, async () => {
      const user = await sigil.createUser({ password: PASSWORD });
      const page = await newPage(getBrowser());
      await page.goto(`${sigil.url}/sign-in`);
      // The email field has focus on arrival (autofocus, applied when the page is first rendered,
      // which may come after the load event); Tab moves to the password; Enter sends.
      await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "email");
      await page.keyboard.type(user.email);
      await page.keyboard.press("Tab");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      await assertNoBrowserErrors(page);
      await page.context().close();
    });
  });
});
