// Real-browser tests: Debian's Chromium driven by playwright-core. One browser per test file
// (describeInBrowser), one fresh context per page (newPage), and every console error, uncaught
// exception and CSP violation of a page recorded, so that a test ends with
// `await assertNoBrowserErrors(page)`.
//
// Functions given to page.evaluate are sent as their source text, as tsx compiled it: a named
// inner function (`function f() {}`, `const f = () => …`) then calls esbuild's `__name` helper,
// which newPage defines in every page as a no-op so that such functions run there too.
import assert from "node:assert/strict";
import { accessSync, constants } from "node:fs";
import { after, before, describe } from "node:test";
import {
  type Browser,
  type BrowserContextOptions,
  type Clock,
  type Cookie,
  chromium,
  type Page,
} from "playwright-core";

/** Where Chromium is looked for unless SIGIL_CHROMIUM names another binary. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** How long a page waits for an element or a navigation before the wait counts as lost. */
export const BROWSER_WAIT_SAFETY_MS = 90_000;

/**
 * Chromium's flags. Without the background-networking ones Chromium connects to Google's
 * services on its own, which a closed network (CI, this project's machines) refuses.
 * `--no-sandbox` because tests may run as root. No `--user-data-dir`: Playwright gives each launch
 * a fresh temporary profile and removes it on close (and refuses the flag).
 *
 * playwright-core is pinned to the release built for the Chromium that Debian ships (156): a
 * newer Debian Chromium may want a newer playwright-core.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Something that went wrong in a page. */
export interface BrowserError {
  /** `console`: console.error, a failed resource load (any 4xx/5xx answer too), an enforced CSP's report. */
  kind: "console" | "pageerror" | "csp" | "crash";
  text: string;
  /** The page's URL at the time. */
  url: string;
}

/** The Chromium binary: SIGIL_CHROMIUM, or Debian's. */
export function chromiumPath(): string {
  return process.env.SIGIL_CHROMIUM || DEFAULT_CHROMIUM;
}

/** Why Chromium cannot be started, or null when it can. */
function missingChromium(): string | null {
  const path = chromiumPath();
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `no Chromium at ${path} (apt-get install chromium, or set SIGIL_CHROMIUM)`;
  }
}

/** Why browser tests cannot run here, or null when they can. Throws under CI=true. */
export function chromiumUnavailable(): string | null {
  const reason = missingChromium();
  if (reason && process.env.CI === "true") throw new Error(`${reason}: CI=true requires the browser tests to run`);
  return reason;
}

/**
 * Starts headless Chromium with {@link CHROMIUM_ARGS} (and `args`). Close it when done.
 *
 * @throws when there is no Chromium (see {@link chromiumUnavailable}).
 * @example
 * const browser = await launchBrowser();
 * try {
 *   const page = await newPage(browser);
 * } finally {
 *   await browser.close();
 * }
 */
export async function launchBrowser(options: { args?: readonly string[] } = {}): Promise<Browser> {
  const reason = missingChromium();
  if (reason) throw new Error(`launchBrowser: ${reason}`);
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}

let noticeShown = false;

/**
 * Declares a suite that runs in one Chromium, launched before its tests and closed after them.
 * Without Chromium the suite is skipped with a visible notice — except under CI=true, where that
 * is a failure.
 *
 * @example
 * describeInBrowser("sign-in page", (getBrowser) => {
 *   test("signs in", async () => {
 *     const page = await newPage(getBrowser());
 *     await page.goto(url);
 *     await assertNoBrowserErrors(page);
 *   });
 * });
 */
export function describeInBrowser(name: string, suite: (getBrowser: () => Browser) => void): void {
  const skip = chromiumUnavailable();
  if (skip && !noticeShown) {
    noticeShown = true;
    process.stderr.write(`\n*** NOTICE: browser tests are SKIPPED: ${skip} ***\n\n`);
  }
  describe(name, { skip: skip ? `SKIPPED: ${skip}` : false }, () => {
    let browser: Browser | undefined;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });
    suite(() => {
      if (!browser) throw new Error("getBrowser() called outside the suite's tests");
      return browser;
    });
  });
}

const errorsOf = new WeakMap<Page, BrowserError[]>();

/**
 * Run in every page before its own scripts: the no-op `__name` (see the top of this file), and the
 * page-side half of CSP recording (report-only violations never reach the console as errors).
 */
const INIT_SCRIPT = `globalThis.__name ??= (target) => target;
document.addEventListener("securitypolicyviolation", (event) => {
  globalThis.__sigilReportViolation?.({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    disposition: event.disposition,
    source: event.sourceFile ? event.sourceFile + ":" + event.lineNumber : "",
  });
});`;

interface Violation {
  directive: string;
  blocked: string;
  disposition: string;
  source: string;
}

function watch(page: Page): Page {
  const errors: BrowserError[] = [];
  errorsOf.set(page, errors);
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // A failed load's text does not name the resource; its location does.
    const where = message.location().url;
    errors.push({ kind: "console", text: where ? `${message.text()} (${where})` : message.text(), url: page.url() });
  });
  page.on("pageerror", (error) =>
    errors.push({ kind: "pageerror", text: error.stack ?? error.message, url: page.url() }),
  );
  page.on("crash", () => errors.push({ kind: "crash", text: "the page crashed", url: page.url() }));
  return page;
}

/**
 * A new page in a new browser context (its own cookies, storage, clock and network state),
 * recording its errors for {@link assertNoBrowserErrors}. Defaults: locale en-US, time zone UTC
 * (so dates render the same everywhere); `options` may override them and set the viewport.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", ...options });
  // Playwright's own 30 s default would be a wall-clock limit on every wait: on a loaded machine a
  // sign-in (a password hash on low-priority threads) can take longer. Waits are for events; this
  // only turns one that never comes into a failure.
  context.setDefaultTimeout(BROWSER_WAIT_SAFETY_MS);
  context.setDefaultNavigationTimeout(BROWSER_WAIT_SAFETY_MS);
  // The event fires in the page; the binding carries it here, attributed to the page it came from.
  await context.exposeBinding("__sigilReportViolation", ({ page }, violation: Violation) => {
    const errors = errorsOf.get(page);
    if (!errors) return;
    const mode = violation.disposition === "report" ? "report-only " : "";
    const at = violation.source ? ` at ${violation.source}` : "";
    // blockedURI is a URL, or "inline" / "eval" for script in the page.
    const text = `${mode}${violation.directive} blocked ${violation.blocked}${at}`;
    // Chromium fires a report-only connect-src violation twice per request: keep one.
    const last = errors.at(-1);
    if (last?.kind === "csp" && last.text === text) return;
    errors.push({ kind: "csp", text, url: page.url() });
  });
  await context.addInitScript({ content: INIT_SCRIPT });
  return watch(await context.newPage());
}

/**
 * Another tab in the context of `page`: the same cookies, storage, Web Locks and
 * BroadcastChannels, as two tabs of one browser profile. Its errors are recorded too.
 */
export async function newTab(page: Page): Promise<Page> {
  return watch(await page.context().newPage());
}

/** What went wrong in the page so far, in order. */
export function browserErrors(page: Page): readonly BrowserError[] {
  return errorsOf.get(page) ?? [];
}

/**
 * Fails the test when the page logged a console error, threw an uncaught exception, violated its
 * Content Security Policy (report-only too) or crashed. `allow` excuses the errors a test provokes
 * on purpose (Chromium logs every 4xx/5xx answer to fetch as a console error, for instance).
 *
 * @example
 * await assertNoBrowserErrors(page, { allow: [/status of 401/] });
 */
export async function assertNoBrowserErrors(page: Page, options: { allow?: readonly RegExp[] } = {}): Promise<void> {
  const errors = errorsOf.get(page);
  if (!errors) throw new Error("assertNoBrowserErrors: the page was not opened with newPage or newTab");
  // A round trip through the page delivers what it reported before (events and binding calls
  // travel the same connection, in order).
  if (!page.isClosed()) await page.evaluate("0").catch(() => {});
  const unexpected = errors.filter((error) => !(options.allow ?? []).some((pattern) => pattern.test(error.text)));
  assert.deepEqual(unexpected, [], "errors in the browser");
}

/**
 * The cookies the browser would send to `url` (default: the page's own URL), HttpOnly ones
 * included — what a script in the page cannot see.
 */
export function cookiesFor(page: Page, url: string = page.url()): Promise<Cookie[]> {
  return page.context().cookies(url);
}

const clockInstalled = new WeakSet<object>();

/**
 * Sets the wall clock of the page's context (Date, Date.now) to `time`, from where it runs on at
 * real speed: a computer whose clock is wrong. The first call installs Playwright's fake clock
 * (install it before page.goto for the page's own scripts to see it); later calls move it. The
 * returned Clock can also jump ahead, firing due timers (`fastForward("15:00")`), or pause.
 *
 * @example
 * await setPageClock(page, Date.now() + 3 * 3600_000); // three hours fast
 */
export async function setPageClock(page: Page, time: Date | number | string): Promise<Clock> {
  const context = page.context();
  if (clockInstalled.has(context)) await page.clock.setSystemTime(time);
  else {
    await page.clock.install({ time });
    clockInstalled.add(context);
  }
  return page.clock;
}

/** Cuts the page's context off the network: requests fail, `navigator.onLine` is false. */
export function goOffline(page: Page): Promise<void> {
  return page.context().setOffline(true);
}

/** Reconnects the page's context; the page receives its `online` event. */
export function goOnline(page: Page): Promise<void> {
  return page.context().setOffline(false);
}
