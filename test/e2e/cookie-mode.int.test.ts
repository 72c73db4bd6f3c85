// @sigil/client in cookie mode, in Chromium, against a real Sigil server and a real API protected
// by @sigil/verifier, on three origins: the app (a static page with the bundled client), the auth
// server and the API. The app and the auth server share a site (127.0.0.1, different ports), so the
// SameSite=Strict refresh cookie goes along; `localhost` is another site. Time is moved with the
// page's clock (Playwright's fake timers) and, by as much, with the servers' `now` (the auth
// server's answers reach the page through a pass-through whose `Date` header follows that clock,
// as a real server's would): nothing here waits for time to pass, only for events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "@sigil/server/testing";
import type { Clock, Page } from "playwright-core";
import { bundleClient } from "../../scripts/client-size.mjs";
import {
  assertNoBrowserErrors,
  cookiesFor,
  describeInBrowser,
  goOffline,
  goOnline,
  newPage,
  newTab,
  setPageClock,
} from "../support/browser.js";
import { file, type StaticServer, startStaticServer } from "../support/static-server.js";
import { startVerifiedApi, type VerifiedApi } from "../support/verified-api.js";

/** Only turns a hang into a failure; the tests await events, not time. */
const SAFETY_TIMEOUT = 180_000;
const ROUNDS = 50;
const TABS = 5;
/** Chromium logs every 4xx answer to fetch, and a failed one, as a console error. */
const EXPECTED_NOISE = [/status of 401 .*\/auth\/refresh\)$/, /ERR_INTERNET_DISCONNECTED/];

interface TestApi {
  client: { signIn(credentials: { email: string; password: string }): Promise<void>; signOut(): Promise<void> };
  counts: { tokens: number; signedOut: number; errors: number; refreshRequests: number };
  signedOutReasons: string[];
  waitForCount(name: "tokens" | "signedOut" | "errors", atLeast: number): Promise<void>;
  token(): Promise<string>;
  callApi(): Promise<{ status: number; body: { sub: string } | null }>;
}
declare global {
  var sigilTest: TestApi;
}

describeInBrowser("@sigil/client in Chromium (cookie mode)", (getBrowser) => {
  let sigil: TestServer;
  let app: StaticServer;
  let api: VerifiedApi;
  let pageUrl: string;
  /** The auth server as the page sees it: the pass-through whose Date header is the server's clock. */
  let issuerFront: StaticServer;
  let issuer: string;
  /** The servers' clock: real time plus what the tests moved it by. */
  const moved = { ms: 0 };
  const serverNow = (): number => Date.now() + moved.ms;

  before(async () => {
    const dir = join(import.meta.dirname, "../support/cookie-mode-page");
    app = await startStaticServer({
      files: {
        "/": file("index.html", readFileSync(join(dir, "index.html"), "utf8")),
        "/app.js": file("app.js", readFileSync(join(dir, "app.js"), "utf8")),
        "/sigil-client.js": file("sigil-client.js", await bundleClient()),
      },
    });
    sigil = await startTestServer({ now: serverNow, env: { SIGIL_WEB_ORIGINS: app.url } });
    issuerFront = await startStaticServer({ files: {}, proxy: { to: sigil.url, prefixes: ["/"], date: serverNow } });
    issuer = issuerFront.url;
    const feed = await sigil.createClient({
      name: "test api",
      grantTypes: ["client_credentials"],
      permissions: ["revocation-feed"],
    });
    api = await startVerifiedApi({
      issuer: sigil.issuer,
      audience: sigil.audience,
      webOrigin: app.url,
      feedClient: { clientId: feed.client.id, clientSecret: feed.secret ?? "" },
      now: serverNow,
    });
    pageUrl = `${app.url}/?issuer=${encodeURIComponent(issuer)}&api=${encodeURIComponent(api.url)}`;
  });
  after(async () => {
    await api?.close();
    await issuerFront?.close();
    await app?.close();
    await sigil?.close();
  });

  /** Opens the app in `page` and waits until it has tried to resume a session from the cookie. */
  async function openApp(page: Page): Promise<void> {
    await page.goto(pageUrl);
    await page.locator("body[data-ready]").waitFor();
  }

  async function signIn(page: Page): Promise<void> {
    const user = await sigil.createUser();
    await page.evaluate((credentials) => sigilTest.client.signIn(credentials), {
      email: user.email,
      password: user.password,
    });
  }

  /** Server-side count of refreshes by outcome: `rotated` (a new token) and `grace` (a replay). */
  async function refreshCounts(): Promise<{ rotated: number; grace: number; refused: number }> {
    const { values } = await sigil.context.metrics.refreshesTotal.get();
    const of = (outcome: string) => values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    const refused = values.filter((v) => !["rotated", "grace"].includes(String(v.labels.outcome)));
    return { rotated: of("rotated"), grace: of("grace"), refused: refused.reduce((sum, v) => sum + v.value, 0) };
  }

  /** The access token's lifetime, and how far to move the clock for the planned refresh to fire. */
  const lifetimeMs = () => sigil.config.accessTokenTtl * 1000;
  const refreshDueMs = () => lifetimeMs() - Math.min(60_000, lifetimeMs() / 10) + 1000;
  /** Moves the page's clock and the servers' together: `ms` of time passes for everyone. */
  async function timePasses(clock: Clock, ms: number): Promise<void> {
    moved.ms += ms;
    await clock.fastForward(ms);
  }

  test(`${TABS} tabs whose tokens expire together, ${ROUNDS} rounds: no sign-out, exactly one refresh per round`, {
    timeout: SAFETY_TIMEOUT,
  }, async (t) => {
    const first = await newPage(getBrowser());
    const clock = await setPageClock(first, Date.now());
    await openApp(first);
    const tabs = [first];
    for (let i = 1; i < TABS; i++) {
      const tab = await newTab(first);
      await openApp(tab);
      tabs.push(tab);
    }
    // One sign-in, broadcast to the other tabs: one token, one expiry, in every tab.
    await signIn(first);
    await Promise.all(tabs.map((tab) => tab.evaluate(() => sigilTest.waitForCount("tokens", 1))));
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => sigilTest.token())));
    assert.equal(new Set(tokens).size, 1, "one token in every tab: they expire at the same moment");
    // Counts the client's "ask" messages: a lock holder that saw another tab's mark of a newer
    // token before the token itself had arrived (the race the mark is for). Only reported.
    await first.evaluate((name) => {
      const asks = { count: 0, channel: new BroadcastChannel(name) };
      asks.channel.onmessage = ({ data }) => {
        if (data?.type === "ask") asks.count++;
      };
      (globalThis as { asks?: typeof asks }).asks = asks;
    }, `sigil:${issuer}`);

    const start = await refreshCounts();
    /** Rounds by how many rotations the server made in them. */
    const rounds = new Map<number, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const before = await refreshCounts();
      const seen = await Promise.all(tabs.map((tab) => tab.evaluate(() => sigilTest.counts.tokens)));
      // Every tab's timer fires at once: the moment their shared token is due for refresh.
      await timePasses(clock, refreshDueMs());
      await Promise.all(tabs.map((tab, i) => tab.evaluate((n) => sigilTest.waitForCount("tokens", n), seen[i]! + 1)));
      // Every tab's lock request has been granted and released by now: the round is over.
      await first.evaluate((name) => navigator.locks.request(name, async () => {}), `sigil:${issuer}`);
      const now = await refreshCounts();
      const rotations = now.rotated - before.rotated;
      rounds.set(rotations, (rounds.get(rotations) ?? 0) + 1);
      assert.ok(rotations >= 1, `round ${round}: a refresh happened`);
      assert.equal(now.refused, before.refused, `round ${round}: no refresh refused`);
    }
    const end = await refreshCounts();
    const signedOut = await Promise.all(tabs.map((tab) => tab.evaluate(() => sigilTest.counts.signedOut)));
    const histogram = [...rounds].sort(([a], [b]) => a - b).map(([n, count]) => `${count} with ${n}`);
    const asks = await first.evaluate(() => (globalThis as unknown as { asks: { count: number } }).asks.count);
    t.diagnostic(
      `${ROUNDS} rounds × ${TABS} tabs: ${end.rotated - start.rotated} rotations (rounds: ${histogram.join(", ")}), ${end.grace - start.grace} grace replays; ${asks} lock holders saw a newer token's mark before the token`,
    );
    assert.deepEqual(signedOut, Array(TABS).fill(0), "nobody was signed out");
    // One rotation per round. Chromium may grant the Web Lock to the next tab before it dispatches
    // the previous holder's broadcast; the refreshing tab's mark (a lock named after the new
    // token's expiry, see packages/client/src/tabs/tab-sync.ts) tells that tab to wait for the
    // token instead of refreshing again.
    assert.ok(Math.max(...rounds.keys()) <= 1, `exactly one rotation in every round: ${histogram}`);
    assert.equal((await first.evaluate(() => sigilTest.callApi())).status, 200, "the API takes the last token");
    for (const tab of tabs) await assertNoBrowserErrors(tab, { allow: EXPECTED_NOISE });
    await first.context().close();
  });

  test("neither document.cookie nor an injected script ever sees the refresh token", {
    timeout: SAFETY_TIMEOUT,
  }, async () => {
    const page = await newPage(getBrowser());
    await openApp(page);
    await signIn(page);
    const [cookie] = (await cookiesFor(page, `${issuer}/auth/refresh`)).filter((c) => c.name === "sigil_refresh");
    assert.ok(cookie, "the browser holds the refresh cookie");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Strict");
    assert.equal(cookie.path, "/auth");

    // The simulated XSS: everything a script on the page can reach.
    await page.addScriptTag({
      type: "module",
      content: `
        const issuer = new URLSearchParams(location.search).get("issuer");
        const answer = await fetch(issuer + "/auth/refresh", {
          method: "POST", credentials: "include", body: "{}",
          headers: { "content-type": "application/json", "sigil-refresh-cookie": "1" },
        });
        window.__stolen = {
          cookie: document.cookie,
          storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
          body: await answer.text(),
          headers: [...answer.headers].map(([name, value]) => name + ": " + value).join("\\n"),
        };`,
    });
    const stolen = await page
      .waitForFunction(() => (globalThis as { __stolen?: unknown }).__stolen)
      .then((h) => h.jsonValue());
    const {
      cookie: seenCookie,
      storage,
      body,
      headers,
    } = stolen as {
      cookie: string;
      storage: string;
      body: string;
      headers: string;
    };
    const refreshNow = (await cookiesFor(page, `${issuer}/auth/refresh`)).find((c) => c.name === "sigil_refresh");
    assert.ok(refreshNow);
    for (const seen of [seenCookie, storage, body, headers]) {
      assert.ok(!seen.includes(cookie.value) && !seen.includes(refreshNow.value), "the refresh token is out of reach");
    }
    assert.equal(seenCookie, "");
    assert.equal(JSON.parse(body).refresh_token, undefined);
    await assertNoBrowserErrors(page, { allow: EXPECTED_NOISE });
    await page.context().close();
  });

  test("sign-out in one tab: the others show signed-out, and the API refuses their tokens", {
    timeout: SAFETY_TIMEOUT,
  }, async () => {
    const first = await newPage(getBrowser());
    await openApp(first);
    await signIn(first);
    const others = [await newTab(first), await newTab(first)];
    for (const tab of others) await openApp(tab);
    const tokens = await Promise.all(others.map((tab) => tab.evaluate(() => sigilTest.token())));
    for (const tab of others) assert.equal((await tab.evaluate(() => sigilTest.callApi())).status, 200);
    const sid = JSON.parse(Buffer.from(tokens[0]!.split(".")[1]!, "base64url").toString()).sid as string;

    await first.evaluate(() => sigilTest.client.signOut());
    await Promise.all(others.map((tab) => tab.evaluate(() => sigilTest.waitForCount("signedOut", 1))));
    for (const tab of others) {
      assert.deepEqual(await tab.evaluate(() => sigilTest.signedOutReasons), ["otherTab"]);
      assert.equal(await tab.locator("#status").textContent(), "Signed out");
    }
    await api.feedDelivered(sid);
    for (const token of tokens) {
      const answer = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(answer.status, 401);
      assert.match(answer.headers.get("www-authenticate") ?? "", /invalid_token/);
    }
    assert.deepEqual(
      (await cookiesFor(first, `${issuer}/auth/refresh`)).filter((c) => c.name === "sigil_refresh"),
      [],
      "the cookie is gone",
    );
    for (const tab of [first, ...others]) await assertNoBrowserErrors(tab, { allow: EXPECTED_NOISE });
    await first.context().close();
  });

  test("a page clock hours off still refreshes on time", { timeout: SAFETY_TIMEOUT }, async () => {
    for (const skewHours of [+5, -5]) {
      const page = await newPage(getBrowser());
      const clock = await setPageClock(page, Date.now() + skewHours * 3_600_000);
      await openApp(page);
      await signIn(page);
      const before = await refreshCounts();
      const token = await page.evaluate(() => sigilTest.token());
      const requests = await page.evaluate(() => sigilTest.counts.refreshRequests); // the resume at load

      // Not early: just before the planned moment, nothing is refreshed. (A refresh holds the
      // client's Web Lock, so taking it afterwards waits for any refresh that started.)
      await timePasses(clock, refreshDueMs() - 2000);
      await page.evaluate((issuer) => navigator.locks.request(`sigil:${issuer}`, async () => {}), issuer);
      assert.equal(
        await page.evaluate(() => sigilTest.counts.refreshRequests),
        requests,
        `skew ${skewHours} h: not early`,
      );
      assert.equal(await page.evaluate(() => sigilTest.token()), token);

      // Not late: at the planned moment, before the token expires on the server's clock.
      await timePasses(clock, 2000);
      await page.evaluate(() => sigilTest.waitForCount("tokens", 2));
      assert.equal((await refreshCounts()).rotated - before.rotated, 1, `skew ${skewHours} h: one refresh`);
      assert.equal((await page.evaluate(() => sigilTest.callApi())).status, 200);
      await assertNoBrowserErrors(page, { allow: EXPECTED_NOISE });
      await page.context().close();
    }
  });

  test("offline when a refresh is due, then online: the session survives", { timeout: SAFETY_TIMEOUT }, async () => {
    const page = await newPage(getBrowser());
    const clock = await setPageClock(page, Date.now());
    await openApp(page);
    await signIn(page);
    await goOffline(page);
    await timePasses(clock, refreshDueMs());
    await page.evaluate(() => sigilTest.waitForCount("errors", 1)); // the refresh failed: retry later
    assert.equal(await page.evaluate(() => sigilTest.counts.signedOut), 0);
    await goOnline(page); // the `online` event retries at once
    await page.evaluate(() => sigilTest.waitForCount("tokens", 2));
    assert.equal(await page.evaluate(() => sigilTest.counts.signedOut), 0);
    assert.equal((await page.evaluate(() => sigilTest.callApi())).status, 200);
    await assertNoBrowserErrors(page, { allow: [...EXPECTED_NOISE, /Failed to fetch/] });
    await page.context().close();
  });

  test("cross-site requests with the cookie are refused: without the header, or from a foreign origin", {
    timeout: SAFETY_TIMEOUT,
  }, async () => {
    const page = await newPage(getBrowser());
    await openApp(page);
    await signIn(page);
    const attacker = await startStaticServer({
      files: { "/": file("index.html", "<!doctype html><title>attacker</title><p>attacker</p>") },
    });
    try {
      // Same site (127.0.0.1, so the cookie goes along) and another site (localhost).
      for (const origin of [attacker.url, attacker.url.replace("127.0.0.1", "localhost")]) {
        const evil = await newTab(page);
        await evil.goto(origin);
        const outcome = await evil.evaluate(async (issuer) => {
          // A simple request (no preflight): the cookie without the header.
          const simple = await fetch(`${issuer}/auth/logout`, {
            method: "POST",
            mode: "no-cors",
            credentials: "include",
            headers: { "content-type": "text/plain" },
            body: "{}",
          }).then(
            () => "sent",
            () => "failed",
          );
          // With the header: the preflight is refused for an origin the server does not list.
          const withHeader = await fetch(`${issuer}/auth/refresh`, {
            method: "POST",
            credentials: "include",
            headers: { "content-type": "application/json", "sigil-refresh-cookie": "1" },
            body: "{}",
          }).then(
            (answer) => `answered ${answer.status}`,
            () => "blocked",
          );
          return { simple, withHeader };
        }, issuer);
        assert.deepEqual(outcome, { simple: "sent", withHeader: "blocked" }, origin);
        await assertNoBrowserErrors(evil, { allow: [/CORS policy/, /Failed to load resource/] });
        await evil.close();
      }
      // Neither request ended the session or took its token: the app refreshes and calls the API.
      const before = (await refreshCounts()).rotated;
      await page.evaluate(async (issuer) => {
        const answer = await fetch(`${issuer}/auth/refresh`, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json", "sigil-refresh-cookie": "1" },
          body: "{}",
        });
        if (answer.status !== 200) throw new Error(`refresh answered ${answer.status}`);
      }, issuer);
      assert.equal((await refreshCounts()).rotated, before + 1);
      assert.equal(await page.evaluate(() => sigilTest.counts.signedOut), 0);
      await assertNoBrowserErrors(page, { allow: EXPECTED_NOISE });
    } finally {
      await attacker.close();
      await page.context().close();
    }
  });
});
