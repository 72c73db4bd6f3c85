// The browser-test helpers themselves (test/support/browser.ts), and the browser features the
// client and the tests rely on, checked in this machine's Chromium: error and CSP recording,
// Web Locks and BroadcastChannel between tabs, the page clock, offline and online, cookies.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  assertNoBrowserErrors,
  browserErrors,
  cookiesFor,
  describeInBrowser,
  goOffline,
  goOnline,
  newPage,
  newTab,
  setPageClock,
} from "../support/browser.js";
import { file, type StaticServer, startStaticServer } from "../support/static-server.js";

/** Only turns a hang into a failure; the tests await events, not time. */
const SAFETY_TIMEOUT = 60_000;

const PAGE = "<!doctype html><title>browser support</title><p>browser support</p>";

describeInBrowser("browser-test support in Chromium", (getBrowser) => {
  let site: StaticServer;

  before(async () => {
    site = await startStaticServer({
      files: {
        "/": file("index.html", PAGE),
        "/csp": file("index.html", PAGE, {
          "content-security-policy": "default-src 'self'",
          "content-security-policy-report-only": "connect-src 'none'",
        }),
        "/cookie": file("index.html", PAGE, { "set-cookie": "sid=s3cret; Path=/; HttpOnly; SameSite=Strict" }),
        "/data.json": file("data.json", "{}"),
      },
    });
  });
  after(async () => {
    await site?.close();
  });

  test("records console errors, uncaught exceptions and CSP violations (report-only too)", {
    timeout: SAFETY_TIMEOUT,
  }, async () => {
    const page = await newPage(getBrowser());
    await page.goto(`${site.url}/csp`);
    await assertNoBrowserErrors(page);

    const thrown = page.waitForEvent("pageerror");
    await page.evaluate(() => {
      console.error("something failed");
      setTimeout(() => {
        throw new Error("uncaught in a timer");
      });
    });
    await thrown;
    // Each evaluate resolves once the page has dispatched the violation event, so the init
    // script's report to the test process was sent before. (No shared helper: the functions are
    // sent to the page as source text, and the page's CSP allows no eval to rebuild one there.)
    await page.evaluate(() => {
      const reported = new Promise((resolve) =>
        document.addEventListener("securitypolicyviolation", resolve, { once: true }),
      );
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.body.append(script);
      return reported.then(() => undefined);
    });
    await page.evaluate(() => {
      const reported = new Promise((resolve) =>
        document.addEventListener("securitypolicyviolation", resolve, { once: true }),
      );
      fetch("/data.json").catch(() => {});
      return reported.then(() => undefined);
    });

    await assert.rejects(assertNoBrowserErrors(page), { code: "ERR_ASSERTION" });
    const errors = browserErrors(page);
    const count = (kind: string, pattern: RegExp): number =>
      errors.filter((error) => error.kind === kind && pattern.test(error.text)).length;
    const all = JSON.stringify(errors, null, 2);
    assert.equal(count("console", /^something failed$/), 1, all);
    assert.equal(count("pageerror", /^Error: uncaught in a timer/), 1, all);
    assert.equal(count("csp", /^script-src-elem blocked inline$/), 1, all);
    // Report-only: never a console error, so only the init script's report shows it.
    assert.equal(count("csp", /^report-only connect-src blocked .*\/data\.json$/), 1, all);
    assert.equal(await page.evaluate(() => "inlineRan" in window), false);
    // What a test provokes on purpose can be excused, and only that.
    await assertNoBrowserErrors(page, {
      allow: [/something failed/, /uncaught in a timer/, /inline/i, /connect-src/],
    });
    await page.context().close();
  });

  test("two tabs share Web Locks and a BroadcastChannel", { timeout: SAFETY_TIMEOUT }, async () => {
    const first = await newPage(getBrowser());
    await first.goto(site.url);
    const second = await newTab(first);
    await second.goto(site.url);

    // The first tab takes the lock and holds it until told to let go.
    await first.evaluate(
      () =>
        new Promise<void>((held) => {
          navigator.locks.request(
            "sigil-test",
            () =>
              new Promise<void>((release) => {
                Object.assign(window, { releaseLock: release });
                held();
              }),
          );
        }),
    );
    assert.deepEqual(
      await second.evaluate(async () => (await navigator.locks.query()).held?.map((lock) => lock.name)),
      ["sigil-test"],
    );
    assert.equal(
      await second.evaluate(() =>
        navigator.locks.request("sigil-test", { ifAvailable: true }, (lock) => lock === null),
      ),
      true,
    );
    const granted = second.evaluate(() => navigator.locks.request("sigil-test", (lock) => lock?.name));
    await first.evaluate(() => (window as unknown as { releaseLock: () => void }).releaseLock());
    assert.equal(await granted, "sigil-test");

    const received = second.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const channel = new BroadcastChannel("sigil-test");
          channel.onmessage = (event) => resolve(event.data);
          document.body.dataset.listening = "true";
        }),
    );
    await second.locator("body[data-listening]").waitFor();
    await first.evaluate(() => new BroadcastChannel("sigil-test").postMessage({ type: "token" }));
    assert.deepEqual(await received, { type: "token" });

    await assertNoBrowserErrors(first);
    await assertNoBrowserErrors(second);
    await first.context().close();
  });

  test("the page clock can be hours wrong, and jump ahead firing timers", { timeout: SAFETY_TIMEOUT }, async () => {
    const page = await newPage(getBrowser());
    const hours = 3;
    const clock = await setPageClock(page, Date.now() + hours * 3600_000);
    await page.goto(site.url);
    const skew = (await page.evaluate(() => Date.now())) - Date.now();
    assert.ok(Math.abs(skew - hours * 3600_000) < 600_000, `skew ${skew} ms`);

    const fired = page.evaluate(
      () => new Promise<string>((resolve) => setTimeout(() => resolve("fired"), 15 * 60_000)),
    );
    await clock.fastForward("15:00");
    assert.equal(await fired, "fired");

    await setPageClock(page, Date.now() - 3600_000);
    assert.ok((await page.evaluate(() => Date.now())) < Date.now() - 3000_000);
    await assertNoBrowserErrors(page);
    await page.context().close();
  });

  test("offline fails requests, and going online again fires the page's online event", {
    timeout: SAFETY_TIMEOUT,
  }, async () => {
    const page = await newPage(getBrowser());
    await page.goto(site.url);
    await goOffline(page);
    assert.deepEqual(
      await page.evaluate(async () => [
        navigator.onLine,
        await fetch("/data.json").then(
          () => "answered",
          () => "failed",
        ),
      ]),
      [false, "failed"],
    );
    const online = page.evaluate(
      () =>
        new Promise<boolean>((resolve) => addEventListener("online", () => resolve(navigator.onLine), { once: true })),
    );
    await goOnline(page);
    assert.equal(await online, true);
    assert.equal(await page.evaluate(async () => (await fetch("/data.json")).status), 200);
    // The request made offline was logged by Chromium as a failed load.
    await assertNoBrowserErrors(page, { allow: [/ERR_INTERNET_DISCONNECTED/] });
    await page.context().close();
  });

  test("cookiesFor reads the cookies a script cannot", { timeout: SAFETY_TIMEOUT }, async () => {
    const page = await newPage(getBrowser());
    await page.goto(`${site.url}/cookie`);
    const cookies = await cookiesFor(page);
    assert.deepEqual(
      cookies.map(({ name, value, httpOnly, sameSite }) => ({ name, value, httpOnly, sameSite })),
      [{ name: "sid", value: "s3cret", httpOnly: true, sameSite: "Strict" }],
    );
    assert.equal(await page.evaluate(() => document.cookie), "");
    await assertNoBrowserErrors(page);
    await page.context().close();
  });
});
