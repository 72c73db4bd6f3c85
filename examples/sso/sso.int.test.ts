// The README walk, in Chromium: `npm run example:sso`'s launcher started as it is (on free ports,
// in a temporary data directory), an account registered, then as a person would: sign in at the
// bank on Sigil's hosted page, open the retirement system and get in with no password (consent
// once: it is a third-party app), see the same customer in both, sign out at the retirement
// system — and see the bank notice on its next API call, Sigil's browser session gone, and both
// APIs' verifiers refuse every old access token. Then the auth server stops: the bank keeps
// working until its API's revocation mirror is stale, then shows "try again" (fail-closed) and
// keeps the session. Last, Ctrl-C stops what is left.
// The test waits for printed lines, pages and real answers, never for an amount of time; it
// prints (does not assert) how long the bank took to notice.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@sigil/server/testing";
import type { Page } from "playwright-core";
import { assertNoBrowserErrors, cookiesFor, describeInBrowser, newPage, newTab } from "../../test/support/browser.js";
import { cleanEnv } from "../../test/support/processes.js";
import type { SessionData } from "./session-store.js";

const ROOT = join(import.meta.dirname, "..", "..");
const README = join(import.meta.dirname, "README.md");
/** Only turns something that never happens into a failure instead of a hang; nothing is timed against it. */
const SAFETY_MS = 120_000;
const STOP_TIMEOUT_MS = 7000;
/** Page loads before giving up on the bank noticing the sign-out (each one is a real API call). */
const MAX_RELOADS = 200;
const STALE_AFTER_MS = 5000;
const USER = { email: "ada@example.com", password: "correct horse battery staple" };

interface RunningExample {
  launcher: ChildProcess;
  exited: Promise<unknown>;
  /** Everything the three processes printed so far. */
  output: () => string;
  /** Resolves once `check(output)` holds, re-checked as each piece of output arrives. */
  printed: (what: string, check: (output: string) => boolean) => Promise<void>;
}

/** Starts the launcher like the npm script does; `output` collects everything the three processes print. */
function startExample(env: Record<string, string>): RunningExample {
  const launcher = spawn(process.execPath, ["--conditions=sigil-source", "--import", "tsx", "examples/sso/start.ts"], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(launcher, "exit");
  let text = "";
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  launcher.stdout?.on("data", append);
  launcher.stderr?.on("data", append);
  const printed = (what: string, check: (output: string) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        waiters.delete(waiter);
        clearTimeout(safety);
        if (error) reject(error);
        else resolve();
      };
      const waiter = (): void => {
        if (check(text)) done();
      };
      const safety = setTimeout(() => done(new Error(`never printed: ${what}\n${text}`)), SAFETY_MS);
      waiters.add(waiter);
      waiter();
    });
  return { launcher, exited, output: () => text, printed };
}

/** A documented refusal: the WWW-Authenticate challenge and the body, exactly. */
interface Refusal {
  challenge: string;
  body: string;
}

/** The README's table of refusals, for the bank's API; the retirement API answers the same in its realm. */
async function documentedRefusals(): Promise<{ noToken: Refusal; forged: Refusal; revoked: Refusal }> {
  const readme = await readFile(README, "utf8");
  const row = (request: string): Refusal => {
    // The table is in a list item: its rows are indented.
    const line = readme.split("\n").find((l) => l.trimStart().startsWith(`| ${request} |`));
    const cells = line === undefined ? undefined : /\| `([^`]+)` \| `([^`]+)` \|$/.exec(line);
    assert.ok(cells?.[1] && cells[2], `README documents the answer to: ${request}`);
    return { challenge: cells[1], body: cells[2] };
  };
  return {
    noToken: row("no `Authorization` header"),
    forged: row("a forged token"),
    revoked: row("a token whose session ended"),
  };
}

/** What an API answered, in the README's terms. */
async function answer(url: string, token?: string): Promise<Refusal & { status: number }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    challenge: response.headers.get("www-authenticate") ?? "(none)",
    body: await response.text(),
  };
}

/** The token with another payload under its signature: what a forger without the private key can make. */
function forge(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  return `${header}.${forged}.${signature}`;
}

/** The access tokens an app holds for its signed-in sessions (its session file: server-side only). */
async function heldTokens(dataDir: string, app: string): Promise<string[]> {
  const sessions = JSON.parse(await readFile(join(dataDir, `${app}-sessions.json`), "utf8")) as Record<
    string,
    SessionData
  >;
  return Object.values(sessions).flatMap((s) => (s.tokens ? [s.tokens.accessToken] : []));
}

/**
 * Asks until the API answers 401: a revocation reaches each API's mirror through the feed, in its
 * own process, and nothing outside tells when it has. Every answer is a real one; the loop waits
 * on each before asking again. Returns how many requests it took.
 */
async function refusedEventually(url: string, token: string): Promise<number> {
  for (let requests = 1; requests <= 10_000; requests++) {
    if ((await answer(url, token)).status === 401) return requests;
  }
  throw new Error(`${url} never refused the token`);
}

async function signInOnSigil(page: Page): Promise<void> {
  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describeInBrowser("examples/sso: two web apps on two origins, one sign-in, one sign-out", (getBrowser) => {
  let example: RunningExample;
  let dataDir: string;
  let issuer: string;
  let bankingUrl: string;
  let retirementUrl: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "sigil-sso-"));
    const [authPort, bankingPort, retirementPort] = [await freePort(), await freePort(), await freePort()];
    example = startExample({
      SSO_AUTH_PORT: String(authPort),
      SSO_BANKING_PORT: String(bankingPort),
      SSO_RETIREMENT_PORT: String(retirementPort),
      SSO_DATA_DIR: dataDir,
      // Long enough that "right after the auth server stops" is well inside it even on a loaded
      // machine; the test waits for the STALE log lines, not for it.
      SSO_STALE_AFTER_MS: String(STALE_AFTER_MS),
      SIGIL_FEED_HEARTBEAT: "1s", // the feed must speak more often than the shortened staleness bound
    });
    await example.printed("the three processes ready", (text) => text.includes("[start]       ready:"));
    issuer = `http://127.0.0.1:${authPort}`;
    bankingUrl = `http://127.0.0.1:${bankingPort}`;
    retirementUrl = `http://127.0.0.1:${retirementPort}`;
    const registered = await fetch(`${issuer}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(USER),
    });
    assert.equal(registered.status, 202);
  });
  after(async () => {
    // After a failure: let the launcher stop its children; if it cannot, kill them all by pid.
    const { launcher, exited, output } = example ?? {};
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill("SIGTERM");
      await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
      if (launcher.exitCode === null && launcher.signalCode === null) {
        for (const [, pid] of output().matchAll(/ started, pid (\d+)/g)) killQuietly(Number(pid));
        launcher.kill("SIGKILL");
      }
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("sign in at the bank, single sign-on to retirement, sign out there: refused everywhere", {
    timeout: SAFETY_MS,
  }, async (t) => {
    const bank = await newPage(getBrowser());

    // The bank: not signed in → its sign-in link → Sigil's hosted page → back, signed in.
    await bank.goto(`${bankingUrl}/`);
    await bank.getByRole("heading", { name: "Signed out" }).waitFor();
    await bank.getByRole("link", { name: "Sign in" }).click();
    assert.equal(new URL(bank.url()).origin, issuer, "the password is typed on Sigil's page, not the bank's");
    await signInOnSigil(bank);
    await bank.getByRole("heading", { name: "Welcome to the Bank" }).waitFor();
    assert.equal(new URL(bank.url()).origin, bankingUrl);
    assert.match((await bank.locator("#who").textContent()) ?? "", /Signed in as ada@example\.com/);
    const sub = await bank.locator("#sub").textContent();
    assert.match(sub ?? "", /\S/, "the bank's API saw the user");

    // The retirement system, another tab of the same browser: no password, consent once.
    const retirement = await newTab(bank);
    const visited: string[] = [];
    retirement.on("framenavigated", (frame) => visited.push(frame.url()));
    await retirement.goto(`${retirementUrl}/`);
    await retirement.getByRole("link", { name: "Sign in" }).click();
    await retirement.getByRole("heading", { name: "Allow Retirement Plans?" }).waitFor();
    assert.equal(await retirement.getByLabel("Password").count(), 0, "no password asked: single sign-on");
    await retirement.getByRole("button", { name: "Allow" }).click();
    await retirement.getByRole("heading", { name: "Welcome to the Retirement Plans" }).waitFor();
    assert.equal(await retirement.locator("#sub").textContent(), sub, "the same customer in both apps");
    const signInPages = visited.filter((url) => url.startsWith(`${issuer}/sign-in`));
    assert.deepEqual(signInPages, [], "the retirement tab never saw Sigil's sign-in page");

    // The tokens stay on the servers: the browser holds opaque session ids only.
    const bankTokens = await heldTokens(dataDir, "banking");
    const retirementTokens = await heldTokens(dataDir, "retirement");
    assert.equal(bankTokens.length, 1);
    assert.equal(retirementTokens.length, 1);
    const tokens = [...bankTokens, ...retirementTokens];
    const cookies = await cookiesFor(bank, `${bankingUrl}/`);
    const bankCookie = cookies.find((c) => c.name === "banking_session");
    assert.equal(bankCookie?.httpOnly, true);
    assert.equal(bankCookie?.sameSite, "Lax");
    for (const cookie of cookies) assert.doesNotMatch(cookie.value, /^eyJ/, `${cookie.name} is no JWT`);
    for (const html of [await bank.content(), await retirement.content()]) {
      for (const token of tokens) assert.ok(!html.includes(token.split(".")[2] ?? token), "no token in a page");
    }

    // Both APIs accept both apps' tokens (one audience for the bank's APIs), and answer the README's refusals.
    const apis = [
      { url: `${bankingUrl}/api/accounts`, realm: "banking" },
      { url: `${retirementUrl}/api/plan`, realm: "retirement" },
    ];
    for (const { url } of apis) for (const token of tokens) assert.equal((await answer(url, token)).status, 200);
    const documented = await documentedRefusals();
    const inRealm = (expected: Refusal, realm: string): Refusal & { status: number } => ({
      status: 401,
      challenge: expected.challenge.replace('realm="banking"', `realm="${realm}"`),
      body: expected.body,
    });
    for (const { url, realm } of apis) {
      assert.deepEqual(await answer(url), inRealm(documented.noToken, realm), `${realm}: no token`);
      const forged = forge(tokens[0] ?? "");
      assert.deepEqual(await answer(url, forged), inRealm(documented.forged, realm), `${realm}: forged`);
    }

    // Sign out at the retirement system: it ends its session, then Sigil's (RP-initiated logout).
    const signedOutAt = performance.now();
    await retirement.getByRole("button", { name: "Sign out" }).click();
    await retirement.getByText("You are signed out.").waitFor();
    assert.equal(new URL(retirement.url()).href, `${retirementUrl}/signed-out`);

    // The bank learns it on its next API call: 401 invalid_token, the refresh refused, signed out.
    let reloads = 0;
    for (; reloads < MAX_RELOADS; reloads++) {
      await bank.reload();
      if ((await bank.getByRole("heading", { name: "Signed out" }).count()) === 1) break;
    }
    const noticedMs = performance.now() - signedOutAt;
    assert.ok(reloads < MAX_RELOADS, "the bank never noticed the sign-out");
    await bank.getByText("Your session has ended").waitFor();
    await example.printed("the bank to log why it signed out", (text) =>
      /\[banking\] +session ended elsewhere \(the API answered 401 invalid_token, refresh refused: invalid_grant\)/.test(
        text,
      ),
    );
    t.diagnostic(
      `the bank showed "signed out" ${noticedMs.toFixed(0)} ms after the click, at page load ${reloads + 1}`,
    );
    for (const line of example.output().split("\n")) {
      if (/signed out here|TOKEN_REVOKED|session ended elsewhere/.test(line)) t.diagnostic(line);
    }

    // Every verifier refuses every old access token, as the README says, and logs why.
    for (const { url, realm } of apis) {
      for (const token of tokens) {
        await refusedEventually(url, token);
        assert.deepEqual(await answer(url, token), inRealm(documented.revoked, realm), `${realm}: revoked`);
      }
    }
    await example.printed("both APIs to log TOKEN_REVOKED", (text) =>
      ["banking", "retirement"].every((app) =>
        new RegExp(`\\[${app}\\] +\\[sigil/verifier\\] 401 TOKEN_REVOKED`).test(text),
      ),
    );
    assert.deepEqual(await heldTokens(dataDir, "banking"), [], "the bank forgot the session");
    assert.deepEqual(await heldTokens(dataDir, "retirement"), [], "the retirement system forgot the session");

    // Sigil's browser session ended too: signing in at the bank asks for the password again.
    await bank.getByRole("link", { name: "Sign in" }).click();
    await bank.getByLabel("Password").waitFor();
    assert.equal(new URL(bank.url()).origin, issuer);

    // No log line holds a token or a client secret.
    const log = example.output();
    const secrets = Object.values(
      JSON.parse(await readFile(join(dataDir, "clients.json"), "utf8")) as Record<string, { clientSecret: string }>,
    ).map((c) => c.clientSecret);
    for (const secret of [...tokens, ...tokens.flatMap((token) => token.split(".")), ...secrets]) {
      assert.ok(!log.includes(secret), "no token, token part or client secret appears in any log");
    }
    await assertNoBrowserErrors(bank);
    await assertNoBrowserErrors(retirement);
    await bank.context().close();
  });

  test("the auth server stops: the apps keep working until the feed is stale, then fail closed", {
    timeout: SAFETY_MS,
  }, async () => {
    const bank = await newPage(getBrowser());
    await bank.goto(`${bankingUrl}/sign-in`);
    await signInOnSigil(bank);
    await bank.getByRole("heading", { name: "Welcome to the Bank" }).waitFor();

    const authPid = Number(/auth started, pid (\d+)/.exec(example.output())?.[1]);
    assert.ok(authPid > 0);
    const staleLines = (): number => example.output().split("revocation mirror is STALE").length - 1;
    const staleBefore = staleLines();
    process.kill(authPid, "SIGTERM");
    await bank.reload();
    await bank.getByRole("heading", { name: "Welcome to the Bank" }).waitFor();
    await example.printed("the auth server to exit", (text) => text.includes("auth exited"));
    // Each API's monitor logs the transition on its own once the feed has been silent for
    // staleAfterMs; from then on it refuses every token, and the app cannot refresh.
    await example.printed("both APIs to log that their mirror is stale", () => staleLines() >= staleBefore + 2);
    const response = await bank.reload();
    assert.equal(response?.status(), 503);
    await bank.getByRole("heading", { name: "Please try again shortly" }).waitFor();
    await example.printed("the API to log REVOCATION_STALE", (text) => /\[banking\] .*401 REVOCATION_STALE/.test(text));
    assert.equal((await heldTokens(dataDir, "banking")).length, 1, "the session is kept for when Sigil is back");
    await assertNoBrowserErrors(bank, { allow: [/status of 503/] });
    await bank.context().close();
  });

  test("Ctrl-C stops all three", { timeout: SAFETY_MS }, async () => {
    const pids = [...example.output().matchAll(/(\w+) started, pid (\d+)/g)].map((m) => ({
      name: m[1],
      pid: Number(m[2]),
    }));
    assert.deepEqual(pids.map((p) => p.name).sort(), ["auth", "banking", "retirement"]);
    example.launcher.kill("SIGINT");
    const [code] = (await example.exited) as [number | null];
    assert.equal(code, 0);
    assert.match(example.output(), /\[start\] +all stopped/);
    for (const { name, pid } of pids) {
      assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `${name} is still running`);
    }
  });
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
