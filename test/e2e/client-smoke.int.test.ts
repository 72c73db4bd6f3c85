// @sigil/client in a real browser, end to end: a real Sigil server, the bundled client on a page
// of another origin (passing Sigil's endpoints through: see client-smoke-page.ts), and Chromium
// filling in the form, in body mode (cookie mode: cookie-mode.int.test.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "@sigil/server/testing";
import { assertNoBrowserErrors, cookiesFor, describeInBrowser, newPage } from "../support/browser.js";
import { startClientSmokePage } from "../support/client-smoke-page.js";
import type { StaticServer } from "../support/static-server.js";

/** Only turns a hang into a failure; the test awaits events, not time. */
const SAFETY_TIMEOUT = 60_000;

describeInBrowser("@sigil/client in Chromium (body mode)", (getBrowser) => {
  let sigil: TestServer;
  let app: StaticServer;

  before(async () => {
    sigil = await startTestServer();
    app = await startClientSmokePage(sigil);
  });
  after(async () => {
    await app?.close();
    await sigil?.close();
  });

  test("a wrong password is reported on the page, and nothing is signed in", { timeout: SAFETY_TIMEOUT }, async () => {
    const user = await sigil.createUser();
    const page = await newPage(getBrowser());
    await page.goto(app.url);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("body[data-state]").waitFor();

    assert.equal(await page.locator("body").getAttribute("data-state"), "failed");
    assert.match((await page.locator("#status").textContent()) ?? "", /^INVALID_CREDENTIALS: /);
    assert.equal(await page.locator("#user").textContent(), "");
    // Chromium logs every 4xx answer to fetch as a console error: this one is the point of the test.
    await assertNoBrowserErrors(page, { allow: [/status of 401 .*\/auth\/login\)$/] });
    await page.context().close();
  });

  test("signs in, shows the user from /userinfo, keeps nothing in storage", { timeout: SAFETY_TIMEOUT }, async () => {
    const user = await sigil.createUser();
    const page = await newPage(getBrowser());
    await page.goto(app.url);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("body[data-state]").waitFor();

    const status = await page.locator("#status").textContent();
    assert.equal(await page.locator("body").getAttribute("data-state"), "signedIn", `the page says: ${status}`);
    assert.equal(await page.locator("#user").textContent(), user.email);
    assert.equal(await page.locator("#user").getAttribute("data-sub"), user.id);
    // The access token lives in memory and body mode keeps the refresh token in the (memory) store.
    assert.deepEqual(
      await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage), document.cookie]),
      [[], [], ""],
    );
    assert.deepEqual(await cookiesFor(page), []);
    await assertNoBrowserErrors(page);
    await page.context().close();
  });
});
