// The README walk, in Chromium: `npm run example:spa`'s script started as it is (on free ports, in
// a temporary data directory), an account registered, then in the app: sign in, see the notes the
// API returns for the signed-in user, reload and still be signed in (the refresh cookie), sign out.
// The test waits for printed lines and for the page, never for an amount of time.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "@sigil/server/testing";
import { assertNoBrowserErrors, cookiesFor, describeInBrowser, newPage } from "../../test/support/browser.js";
import { cleanEnv, type StartedProcess, startProcess } from "../../test/support/processes.js";

const ROOT = join(import.meta.dirname, "..", "..");
/** Only turns a hang into a failure; nothing is timed against it. */
const SAFETY_MS = 120_000;
const USER = { email: "ada@example.com", password: "correct horse battery staple" };

describeInBrowser("examples/spa: a single-page app in cookie mode", (getBrowser) => {
  let example: StartedProcess;
  let dataDir: string;
  let appUrl: string;
  let issuer: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "sigil-spa-"));
    const [authPort, apiPort, appPort] = [await freePort(), await freePort(), await freePort()];
    example = startProcess(
      process.execPath,
      ["--conditions=sigil-source", "--import", "tsx", "examples/spa/start.ts"],
      {
        cwd: ROOT,
        env: cleanEnv({
          SPA_AUTH_PORT: String(authPort),
          SPA_API_PORT: String(apiPort),
          SPA_APP_PORT: String(appPort),
          SPA_DATA_DIR: dataDir,
        }),
        ready: /^ready: open (http:\S+)/m,
        readyTimeoutMs: SAFETY_MS,
      },
    );
    const line = await example.ready;
    appUrl = /open (http:\S+)/.exec(line)?.[1] ?? "";
    issuer = `http://127.0.0.1:${authPort}`;
    const registered = await fetch(`${issuer}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(USER),
    });
    assert.equal(registered.status, 202);
  });
  after(async () => {
    await example?.stop("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });

  test("sign in, call the API, reload still signed in, sign out", { timeout: SAFETY_MS }, async () => {
    const page = await newPage(getBrowser());
    await page.goto(appUrl);
    await page.getByText("Signed out").waitFor();
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Buy milk").waitFor();
    const sub = await page.locator("#who").textContent();
    assert.match(sub ?? "", /\S/, "the API saw the user");

    const [cookie] = await cookiesFor(page, `${issuer}/auth/refresh`);
    assert.equal(cookie?.name, "sigil_refresh");
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, "Strict");

    await page.reload();
    await page.getByText("Buy milk").waitFor();
    assert.equal(await page.locator("#who").textContent(), sub, "resumed from the cookie");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("Signed out").waitFor();
    assert.deepEqual(await cookiesFor(page, `${issuer}/auth/refresh`), []);
    // The first load had no session: its resume was answered 401, which Chromium logs.
    await assertNoBrowserErrors(page, { allow: [/status of 401 .*\/auth\/refresh\)$/] });
    await page.context().close();
  });
});
