// Screenshots of Sigil's pages for the documentation, in Chromium (test/support/browser.ts):
// starts a test server (and the pages' own servers), opens every page of SCREENSHOT_PAGES at
// each width, and writes docs/screenshots/<name>-<width>.png. A page that logs an error or
// violates its CSP fails the run: its picture would not show what users see.
//
//   npm run screenshots                   every page
//   npm run screenshots -- client-smoke   only the pages named
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startTestServer, type TestServer, type TestUser } from "@sigil/server/testing";
import type { Page } from "playwright-core";
import { assertNoBrowserErrors, launchBrowser, newPage } from "../test/support/browser.js";
import { startClientSmokePage } from "../test/support/client-smoke-page.js";
import type { StaticServer } from "../test/support/static-server.js";

/** The servers a run starts, for pages to find their URL and set their scene (users, clients). */
export interface ScreenshotScene {
  /** A Sigil test server (in-memory PGlite): its hosted pages live here. */
  sigil: TestServer;
  /** The client smoke page (test/support/client-smoke-page.ts), on an origin of its own. */
  smokePage: StaticServer;
  /** A user of `sigil`, the same in every run (ada@example.com), for pages to sign in with. */
  user: TestUser;
}

/** One page to photograph. */
export interface ScreenshotPage {
  /** Names the files: docs/screenshots/<name>-<width>.png. */
  name: string;
  /** Brings the page into the state to show: navigate, and fill in or click what it takes. */
  open(page: Page, scene: ScreenshotScene): Promise<void>;
}

/** Phone and desktop. */
export const SCREENSHOT_WIDTHS: readonly number[] = [375, 1280];

/** Every page photographed; add Sigil's own pages (sign-in, consent, …) here as they come. */
export const SCREENSHOT_PAGES: readonly ScreenshotPage[] = [
  {
    name: "client-smoke",
    async open(page, { smokePage, user }) {
      await page.goto(smokePage.url);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("body[data-state]").waitFor();
    },
  },
];

const outDir = resolve(import.meta.dirname, "../docs/screenshots");

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const unknown = positionals.filter((name) => !SCREENSHOT_PAGES.some((page) => page.name === name));
  if (unknown.length > 0) throw new Error(`screenshots: no page named ${unknown.join(", ")}`);
  const pages = SCREENSHOT_PAGES.filter((page) => positionals.length === 0 || positionals.includes(page.name));
  mkdirSync(outDir, { recursive: true });

  const browser = await launchBrowser();
  const sigil = await startTestServer();
  const smokePage = await startClientSmokePage(sigil);
  const scene: ScreenshotScene = { sigil, smokePage, user: await sigil.createUser({ email: "ada@example.com" }) };
  let failed = false;
  try {
    for (const shot of pages) {
      for (const width of SCREENSHOT_WIDTHS) {
        // A fresh context per picture: no cookie or storage from the previous one.
        const page = await newPage(browser, { viewport: { width, height: 800 } });
        await shot.open(page, scene);
        const path = join(outDir, `${shot.name}-${width}.png`);
        await page.screenshot({ path, fullPage: true, animations: "disabled" });
        try {
          await assertNoBrowserErrors(page);
        } catch (error) {
          failed = true;
          console.error(`${shot.name} at ${width} px: ${(error as Error).message}`);
        }
        console.log(relative(process.cwd(), path));
        await page.context().close();
      }
    }
  } finally {
    await browser.close();
    await smokePage.close();
    await sigil.close();
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
