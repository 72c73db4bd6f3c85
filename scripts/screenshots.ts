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

/** Signs `user` in on the hosted sign-in page; ends on the account page. */
async function signInAs(page: Page, sigil: TestServer, user: TestUser): Promise<void> {
  await page.goto(`${sigil.url}/sign-in`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
}

/** Every page photographed: the hosted pages, then the client smoke page. */
export const SCREENSHOT_PAGES: readonly ScreenshotPage[] = [
  {
    name: "sign-in",
    async open(page, { sigil }) {
      await page.goto(`${sigil.url}/sign-in`);
    },
  },
  {
    name: "sign-in-refused",
    async open(page, { sigil, user }) {
      await page.goto(`${sigil.url}/sign-in`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("The email or password is incorrect").waitFor();
      // The 401 is what this page shows.
      allowErrors.set(page, [/status of 401/]);
    },
  },
  {
    name: "sign-up",
    async open(page, { sigil }) {
      await page.goto(`${sigil.url}/sign-up`);
    },
  },
  {
    name: "check-email",
    async open(page, { sigil }) {
      await page.goto(`${sigil.url}/sign-up`);
      await page.getByLabel("Email").fill("grace@example.com");
      await page.getByLabel("Password").fill("a long and memorable passphrase");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
    },
  },
  {
    name: "verify-email",
    async open(page, { sigil }) {
      await page.goto(`${sigil.url}/verify-email`);
    },
  },
  {
    name: "forgot-password",
    async open(page, { sigil }) {
      await page.goto(`${sigil.url}/forgot-password`);
    },
  },
  {
    name: "reset-password",
    async open(page, { sigil, user }) {
      await page.goto(`${sigil.url}/forgot-password`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Send the code" }).click();
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    },
  },
  {
    name: "account",
    async open(page, { sigil, user }) {
      // Another device, so the list has two sessions.
      await sigil.login(user);
      await signInAs(page, sigil, user);
    },
  },
  {
    name: "confirm-email",
    async open(page, { sigil, user }) {
      await signInAs(page, sigil, user);
      await page.getByLabel("New email").fill("ada.lovelace@example.com");
      await page.locator("#field-email_password").fill(user.password);
      await page.getByRole("button", { name: "Send a confirmation code" }).click();
      await page.getByRole("heading", { name: "Confirm your new email" }).waitFor();
    },
  },
  {
    name: "sign-out",
    async open(page, { sigil, user }) {
      await signInAs(page, sigil, user);
      await page.goto(`${sigil.url}/sign-out`);
    },
  },
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

/** Errors a page's state consists of (the 401 of a refused sign-in), by page. */
const allowErrors = new WeakMap<Page, readonly RegExp[]>();

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
          await assertNoBrowserErrors(page, { allow: allowErrors.get(page) ?? [] });
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
