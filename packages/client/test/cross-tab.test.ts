// Several tabs of one browser share one session (one refresh cookie): one refresh among them all
// (Web Locks), the new token and sign-outs shared (BroadcastChannel); a hung tab cannot block the
// others (lock timeout, then steal). Failure cases first.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { EMAIL, PASSWORD } from "./fixtures/fake-auth-server.js";
import { START, settle } from "./fixtures/fake-clock.js";
import { FakeBrowser, HOUR, record, typesOf } from "./fixtures/harness.js";

const LOCK = "sigil:http://127.0.0.1:3000";

let browser: FakeBrowser;
afterEach(() => browser.closeAll());

describe("a hung tab holding the lock", () => {
  test("is waited for lockTimeoutMs, then its lock is stolen and the refresh goes ahead", async () => {
    browser = new FakeBrowser();
    const first = browser.tab();
    await first.signIn({ email: EMAIL, password: PASSWORD });
    first.close();
    browser.locks.hang(LOCK);
    const tab = browser.tab({ lockTimeoutMs: 3000 });
    let token: string | undefined;
    const pending = tab.getAccessToken().then((value) => {
      token = value;
    });
    await browser.clock.advance(2999);
    assert.equal(token, undefined, "still waiting for the lock");
    assert.equal(browser.server.counts.refresh, 0);
    await browser.clock.advance(1);
    await pending;
    assert.match(token ?? "", /^at-/);
    assert.equal(browser.locks.steals, 1);
    assert.equal(browser.server.counts.refresh, 1);
  });

  test("whose refresh reached the server but never answered: the stealing tab gets the same successor within the grace window", async () => {
    browser = new FakeBrowser();
    const hung = browser.tab();
    await hung.signIn({ email: EMAIL, password: PASSWORD });
    const events = record(hung);
    browser.server.stallNext("/auth/refresh");
    await browser.clock.advance(840_000); // the hung tab's proactive refresh: processed, never answered
    assert.equal(browser.server.counts.refresh, 1);
    const other = browser.tab(); // default lockTimeoutMs: 5 s < the server's 10 s grace window
    const token = other.getAccessToken();
    await browser.clock.advance(5000);
    assert.match(await token, /^at-/);
    assert.equal(browser.locks.steals, 1);
    assert.equal(browser.server.counts.refresh, 2);
    assert.equal(other.isSignedIn, true, "no refresh_token_reused: the session survives");
    assert.deepEqual(
      typesOf(events).filter((t) => t === "signedOut"),
      [],
    );
  });
});

describe("one refresh among all tabs", () => {
  test("three tabs whose tokens expire together: the proactive refreshes collapse into one", async () => {
    browser = new FakeBrowser();
    const [a, b, c] = [browser.tab(), browser.tab(), browser.tab()];
    const events = [a, b, c].map(record);
    await a.signIn({ email: EMAIL, password: PASSWORD });
    assert.deepEqual(events.map(typesOf), [["signedIn"], ["signedIn"], ["signedIn"]]);
    await browser.clock.advance(840_000);
    assert.equal(browser.server.counts.refresh, 1);
    const tokens = await Promise.all([a, b, c].map((tab) => tab.getAccessToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(browser.server.counts.refresh, 1);
    assert.deepEqual(events.map(typesOf), [
      ["signedIn", "tokenRefreshed"],
      ["signedIn", "tokenRefreshed"],
      ["signedIn", "tokenRefreshed"],
    ]);
  });

  test("three tabs opened at once, each asking for a token: one refresh, the others take the broadcast", async () => {
    browser = new FakeBrowser();
    const login = browser.tab();
    await login.signIn({ email: EMAIL, password: PASSWORD });
    login.close();
    const tabs = [browser.tab(), browser.tab(), browser.tab()];
    const tokens = await Promise.all(tabs.map((tab) => tab.getAccessToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(browser.server.counts.refresh, 1);
    assert.ok(tabs.every((tab) => tab.isSignedIn));
  });

  test("five tabs whose tokens expire together, the broadcast late (after the lock is handed on): still one refresh", async () => {
    browser = new FakeBrowser("late");
    const tabs = Array.from({ length: 5 }, () => browser.tab());
    await tabs[0]?.signIn({ email: EMAIL, password: PASSWORD });
    await browser.clock.advance(0);
    for (let round = 1; round <= 3; round++) {
      await browser.clock.advance(840_000); // every tab's refresh comes due at once
      assert.equal(browser.server.counts.refresh, round, `round ${round}: one refresh`);
      const tokens = await Promise.all(tabs.map((tab) => tab.getAccessToken()));
      assert.equal(new Set(tokens).size, 1, `round ${round}: one token in every tab`);
    }
    assert.ok(
      browser.bus.posted.some((message) => (message as { type: string }).type === "ask"),
      "the next holders saw the mark before the token, and waited for it",
    );
    assert.deepEqual(browser.locks.sharedNames(), [], "no mark outlives its round");
    assert.ok(
      browser.clock.pendingDelays().every((delay) => delay > 5000),
      "no wait for a token is left running: only the planned refreshes",
    );
  });

  test("a lock manager without query(): no marks, so a late broadcast may cost a second refresh, serialised (no reuse)", async () => {
    browser = new FakeBrowser("late", { queryableLocks: false });
    const login = browser.tab();
    await login.signIn({ email: EMAIL, password: PASSWORD });
    login.close();
    const tabs = [browser.tab(), browser.tab(), browser.tab()];
    const tokens = await Promise.all(tabs.map((tab) => tab.getAccessToken()));
    assert.ok(browser.server.counts.refresh >= 1 && browser.server.counts.refresh <= 3);
    assert.ok(tokens.every((token) => token.startsWith("at-")));
    await browser.clock.advance(1000);
    assert.ok(
      tabs.every((tab) => tab.isSignedIn),
      "every refresh used the newest cookie: the session lives",
    );
  });

  test("a tab whose local clock is 8 h fast shares its token with a tab 3 h slow; each keeps it until the same moment", async () => {
    browser = new FakeBrowser();
    const fast = browser.tab({ skewMs: 8 * HOUR });
    const slow = browser.tab({ skewMs: -3 * HOUR });
    await fast.signIn({ email: EMAIL, password: PASSWORD });
    const token = await slow.getAccessToken();
    await browser.clock.advance(839_000);
    assert.equal(await slow.getAccessToken(), token);
    assert.equal(await fast.getAccessToken(), token);
    assert.equal(browser.server.counts.refresh, 0);
    await browser.clock.advance(1000);
    assert.equal(browser.server.counts.refresh, 1);
    assert.notEqual(await slow.getAccessToken(), token);
    assert.equal(await slow.getAccessToken(), await fast.getAccessToken());
  });
});

describe("the mark of a token another tab got (waited for, but bounded)", () => {
  /** Holds the mark of a token expiring at `expiresAt`, as a refreshing tab does; returns its release. */
  function holdMark(expiresAt: number): () => void {
    let release = (): void => {};
    void browser.locks.request(
      `${LOCK}#${expiresAt}`,
      { mode: "shared" },
      () => new Promise<void>((r) => (release = r)),
    );
    return () => release();
  }

  test("the lock holder lacks the marked token: it asks, a tab that has it sends it again, no refresh", async () => {
    browser = new FakeBrowser();
    const holder = browser.tab();
    await holder.signIn({ email: EMAIL, password: PASSWORD });
    const token = await holder.getAccessToken();
    holdMark(START + 900_000); // as if `holder` had just refreshed, and the broadcast were lost
    const late = browser.tab({ broadcastChannel: browser.bus.open }); // opened after the broadcast
    assert.equal(late.isSignedIn, false);
    assert.equal(await late.getAccessToken(), token);
    assert.equal(browser.server.counts.refresh, 0);
    assert.deepEqual(
      browser.bus.posted.map((message) => (message as { type: string }).type),
      ["token", "ask", "token"],
    );
  });

  test("a marked token that never comes: waited for lockTimeoutMs of the injected clock, then refreshed", async () => {
    browser = new FakeBrowser();
    const login = browser.tab();
    await login.signIn({ email: EMAIL, password: PASSWORD });
    login.close(); // the only tab that had it is gone
    holdMark(START + 900_000);
    const tab = browser.tab({ lockTimeoutMs: 3000 });
    let token: string | undefined;
    const pending = tab.getAccessToken().then((value) => {
      token = value;
    });
    await browser.clock.advance(2999);
    assert.equal(token, undefined, "still waiting for the marked token");
    assert.equal(browser.server.counts.refresh, 0);
    await browser.clock.advance(1);
    await pending;
    assert.match(token ?? "", /^at-/);
    assert.equal(browser.server.counts.refresh, 1);
  });

  test("a marked token not newer than ours, or already expired, is not waited for", async () => {
    browser = new FakeBrowser();
    const tab = browser.tab();
    await tab.signIn({ email: EMAIL, password: PASSWORD });
    const release = holdMark(START + 900_000); // the token `tab` holds: not newer
    await browser.clock.advance(840_000); // its planned refresh goes ahead
    assert.equal(browser.server.counts.refresh, 1);
    release();
    holdMark(browser.clock.now - 1000); // a token that has expired
    await settle();
    tab.close();
    const other = browser.tab();
    const token = await other.getAccessToken(); // nobody else has a token: a refresh
    assert.match(token, /^at-/);
    assert.equal(browser.server.counts.refresh, 2);
    assert.equal(
      browser.bus.posted.filter((message) => (message as { type: string }).type === "ask").length,
      0,
      "nobody asked",
    );
  });

  test("a refresh's mark is seen by every tab that waited for the lock meanwhile, and goes after their turns", async () => {
    browser = new FakeBrowser();
    const tabs = [browser.tab(), browser.tab(), browser.tab()];
    await tabs[0]?.signIn({ email: EMAIL, password: PASSWORD });
    const query = browser.locks.query?.bind(browser.locks);
    assert.ok(query);
    /** How many marks each lock holder saw when it looked. */
    const seen: number[] = [];
    browser.locks.query = async () => {
      const snapshot = await query();
      seen.push(snapshot.held.filter((lock) => lock.mode === "shared").length);
      return snapshot;
    };
    await browser.clock.advance(840_000); // all three refreshes come due at once
    assert.equal(browser.server.counts.refresh, 1);
    assert.deepEqual(seen, [0, 1, 1], "the first holder saw no mark; the two after it saw its mark");
    assert.deepEqual(browser.locks.sharedNames(), [], "then it went");
  });
});

describe("sign-out reaches every tab", () => {
  test("signOut() in one tab: the server is told once; the others emit signedOut otherTab", async () => {
    browser = new FakeBrowser();
    const [a, b, c] = [browser.tab(), browser.tab(), browser.tab()];
    await a.signIn({ email: EMAIL, password: PASSWORD });
    const events = [a, b, c].map(record);
    await a.signOut();
    await browser.clock.advance(0);
    assert.equal(browser.server.counts.logout, 1);
    assert.deepEqual(
      events.map((list) => list.map(([, event]) => event)),
      [[{ reason: "signOut" }], [{ reason: "otherTab" }], [{ reason: "otherTab" }]],
    );
    assert.ok([a, b, c].every((tab) => !tab.isSignedIn));
    assert.deepEqual(browser.clock.pendingDelays(), [], "no refresh stays planned anywhere");
    await assert.rejects(b.getAccessToken(), { code: "NOT_SIGNED_IN", keyword: "missing_token" });
  });

  test("a session ended at the server, seen by one tab, signs out the others too", async () => {
    browser = new FakeBrowser();
    const [a, b] = [browser.tab(), browser.tab()];
    await a.signIn({ email: EMAIL, password: PASSWORD });
    const events = [a, b].map(record);
    browser.server.endSessions("session_revoked");
    await assert.rejects(a.fetch("http://127.0.0.1:3000/api/orders"), { code: "SESSION_ENDED" });
    await browser.clock.advance(0);
    assert.deepEqual(
      events[1]?.map(([, event]) => event),
      [{ reason: "otherTab" }],
    );
    assert.equal(b.isSignedIn, false);
  });

  test("close() closes the tab's channel: it hears nothing more", async () => {
    browser = new FakeBrowser();
    const [a, b] = [browser.tab(), browser.tab()];
    const events = record(b);
    b.close();
    await a.signIn({ email: EMAIL, password: PASSWORD });
    await browser.clock.advance(0);
    assert.deepEqual(events, []);
    assert.equal(browser.bus.openChannels, 1);
  });
});

describe("the server's clock, shared among tabs", () => {
  test("a tab given a token takes the sender's view of the server's clock, fresher after the local clock jumped", async () => {
    browser = new FakeBrowser();
    const jump = { ms: 0 };
    // One local clock for both tabs, as in one browser; it jumps three hours ahead below.
    const now = (): number => browser.clock.now + jump.ms;
    const first = browser.tab({ now });
    const second = browser.tab({ now });
    await first.signIn({ email: EMAIL, password: PASSWORD });
    await settle();
    assert.equal(second.isSignedIn, true, "the sign-in reached the second tab");

    await browser.clock.advance(60_000); // a minute later (no refresh is due yet) …
    jump.ms = 3 * HOUR; // … the computer's clock is set three hours ahead
    // The first tab's token now looks expired to it: it refreshes and hears the server's clock.
    const fresh = await first.getAccessToken();
    await settle();
    const refreshes = browser.server.counts.refresh;
    assert.equal(refreshes, 1);
    // The second tab takes the token with the first tab's clock offset: no refresh of its own.
    assert.equal(await second.getAccessToken(), fresh);
    assert.equal(browser.server.counts.refresh, refreshes);
  });
});
