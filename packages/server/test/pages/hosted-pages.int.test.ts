// The hosted pages over real HTTP, as a browser without JavaScript uses them: the headers every
// page sends, CSRF and cross-site posts, the session cookie (attributes, rotation, fixation), the
// account page's sign-outs reaching the API's tokens, return_to, escaping, and bad input.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { VIEWS_DIR } from "../../src/pages/hosted-pages.js";
import {
  describeEachDatabase,
  startTestServer,
  startTestSmtpServer,
  type TestServer,
  type TestSmtpServer,
  uniqueEmail,
} from "../../src/testing/index.js";
import { csrfTokenOf, PageClient, setCookieLine } from "./page-client.js";

const PASSWORD = "correct horse battery staple";
const PAGES = ["/sign-in", "/sign-up", "/forgot-password", "/reset-password", "/verify-email"];

describeEachDatabase("hosted pages", (getDb) => {
  let smtp: TestSmtpServer;
  let server: TestServer;

  before(async () => {
    smtp = await startTestSmtpServer();
    server = await startTestServer({
      database: getDb(),
      env: {
        SIGIL_SMTP_URL: smtp.url,
        SIGIL_MAIL_FROM: "Sigil <no-reply@example.com>",
        SIGIL_WEB_ORIGINS: "http://localhost:5173",
        SIGIL_PRODUCT_NAME: "Acme <b>Cloud</b>",
      },
    });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  const signIn = async (client: PageClient, email: string, password = PASSWORD, returnTo?: string) =>
    client.submit("/sign-in", "/sign-in", { email, password, ...(returnTo ? { return_to: returnTo } : {}) });

  test("every page: HTML, a strict CSP, no script and no inline style, escaped values, never cached", async () => {
    const client = new PageClient(server.url);
    for (const path of PAGES) {
      const page = await client.get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html; charset=utf-8/);
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /form-action 'self' http:\/\/localhost:5173/);
      assert.doesNotMatch(csp, /script-src|unsafe-inline/);
      assert.equal(page.headers.get("x-frame-options"), "DENY");
      assert.equal(page.headers.get("cache-control"), "no-store");
      assert.equal(page.headers.get("referrer-policy"), "same-origin");
      assert.doesNotMatch(page.html, /<script|\sstyle=|\son[a-z]+=/i, `${path}: no script, inline style or handler`);
      assert.ok(page.html.includes("Acme &lt;b&gt;Cloud&lt;/b&gt;"), `${path}: the product name is escaped`);
      assert.ok(!page.html.includes("<b>Cloud</b>"));
    }
    const css = await client.get("/assets/sigil.css");
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
  });

  test("templates print values only through eta's escaping (raw output only for the layout's body and partials)", () => {
    const files = readdirSync(VIEWS_DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".eta"));
    assert.ok(files.length >= 10);
    for (const file of files) {
      const source = readFileSync(join(VIEWS_DIR, file), "utf8");
      for (const raw of source.matchAll(/<%~\s*([^%]*)%>/g)) {
        assert.match(raw[1] ?? "", /^(it\.body|include\("partials\/[a-z-]+", [^)]*\))\s*$/, `${file}: ${raw[0]}`);
      }
      assert.doesNotMatch(source, /<script|\sstyle=/i, file);
    }
  });

  test("a form without its CSRF token, or posted from another site, is refused and changes nothing", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const client = new PageClient(server.url);
    await client.get("/sign-in"); // the CSRF cookie
    const noToken = await client.post("/sign-in", { email: user.email, password: PASSWORD });
    assert.equal(noToken.status, 403);
    assert.match(noToken.html, /This form has expired/);
    assert.equal(client.cookies.has("sigil_session"), false);

    const page = await client.get("/sign-in");
    const crossSite = await client.post(
      "/sign-in",
      { _csrf: csrfTokenOf(page.html), email: user.email, password: PASSWORD },
      { origin: "https://evil.example" },
    );
    assert.equal(crossSite.status, 403);
    assert.equal(client.cookies.has("sigil_session"), false);

    // Another browser's token does not fit this browser's CSRF secret.
    const other = new PageClient(server.url);
    const otherToken = csrfTokenOf((await other.get("/sign-in")).html);
    const stolen = await client.post("/sign-in", { _csrf: otherToken, email: user.email, password: PASSWORD });
    assert.equal(stolen.status, 403);
  });

  test("sign-in sets an HttpOnly, SameSite=Lax session cookie; a new one at every sign-in; the old one stops working", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const client = new PageClient(server.url);
    const first = await signIn(client, user.email);
    assert.equal(first.status, 303);
    assert.equal(first.location, "/account");
    const line = setCookieLine(first, "sigil_session") ?? "";
    assert.match(line, /HttpOnly/i);
    assert.match(line, /SameSite=Lax/i);
    assert.match(line, /Path=\//);
    assert.doesNotMatch(line, /Secure/i, "plain-http loopback in development");
    const firstValue = client.cookies.get("sigil_session") ?? "";
    assert.match(firstValue, /^[\w-]{22}\.[\w-]{43}$/);
    assert.equal((await client.get("/account")).status, 200);

    // Signing in again (another account, or the same) from a signed-in browser.
    const second = await client.submit("/account", "/sign-in", { email: user.email, password: PASSWORD });
    assert.equal(second.status, 303);
    const secondValue = client.cookies.get("sigil_session");
    assert.notEqual(secondValue, firstValue, "no session fixation: a new cookie");
    const stale = new PageClient(server.url);
    stale.cookies.set("sigil_session", firstValue);
    const refused = await stale.get("/account");
    assert.equal(refused.status, 303, "the replaced session has ended");
    assert.equal(refused.location, "/sign-in?return_to=%2Faccount");
  });

  test("a wrong password: one message, the email kept, the password never echoed", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const client = new PageClient(server.url);
    const wrong = await signIn(client, user.email, "wrong password here");
    const unknown = await signIn(client, uniqueEmail("nobody"), "wrong password here");
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.match(wrong.html, /The email or password is incorrect/);
    assert.match(unknown.html, /The email or password is incorrect/);
    assert.ok(wrong.html.includes(`value="${user.email}"`));
    assert.ok(!wrong.html.includes("wrong password here"));
  });

  test("the account page lists sessions; signing one out refuses its access token at once", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const api = await server.login(user); // another device, through the API
    const client = new PageClient(server.url);
    await signIn(client, user.email);
    const account = await client.get("/account");
    assert.equal(account.status, 200);
    assert.ok(account.html.includes(user.email));
    assert.match(account.html, /This device/);
    assert.ok(account.html.includes(`value="${api.sessionId}"`), "the API session is listed");

    const bearer = { authorization: `Bearer ${api.accessToken}` };
    assert.equal((await server.request("GET", "/userinfo", { headers: bearer })).status, 200);
    const ended = await client.submit("/account", "/account/sessions/end", { session_id: api.sessionId });
    assert.equal(ended.status, 303);
    assert.equal(ended.location, "/account?notice=session_ended");
    assert.equal((await server.request("GET", "/userinfo", { headers: bearer })).status, 401);
    const after = await client.get("/account?notice=session_ended");
    assert.match(after.html, /That session has been signed out/);
    assert.ok(!after.html.includes(`value="${api.sessionId}"`));

    // A session id of another user is answered like an unknown one: nothing happens to it.
    const stranger = await server.signIn();
    const foreign = await client.submit("/account", "/account/sessions/end", { session_id: stranger.sessionId });
    assert.equal(foreign.status, 303);
    const strangerBearer = { authorization: `Bearer ${stranger.accessToken}` };
    assert.equal((await server.request("GET", "/userinfo", { headers: strangerBearer })).status, 200);
  });

  test("sign-out ends the browser session; logout-all from the API ends it too", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const client = new PageClient(server.url);
    await signIn(client, user.email);
    const confirm = await client.get("/sign-out");
    assert.equal(confirm.status, 200);
    const cookie = client.cookies.get("sigil_session") ?? "";
    const out = await client.submit("/sign-out", "/sign-out", {});
    assert.equal(out.status, 303);
    assert.equal(out.location, "/sign-in?notice=signed_out");
    assert.equal(client.cookies.has("sigil_session"), false);
    const replay = new PageClient(server.url);
    replay.cookies.set("sigil_session", cookie);
    assert.equal((await replay.get("/account")).status, 303);

    const browser = new PageClient(server.url);
    await signIn(browser, user.email);
    const api = await server.login(user);
    const all = await server.request("POST", "/auth/logout-all", {
      headers: { authorization: `Bearer ${api.accessToken}` },
    });
    assert.equal(all.status, 204);
    assert.equal((await browser.get("/account")).status, 303, "the browser session ended with the others");
  });

  test("changing the password on the account page: other sessions end, this one gets a new cookie", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const api = await server.login(user);
    const client = new PageClient(server.url);
    await signIn(client, user.email);
    const before = client.cookies.get("sigil_session");
    const wrong = await client.submit("/account", "/account/password", {
      current_password: "not the password",
      new_password: "a brand new passphrase",
    });
    assert.equal(wrong.status, 403);
    assert.match(wrong.html, /That is not your current password/);
    assert.match(wrong.html, /aria-invalid="true"/);
    const changed = await client.submit("/account", "/account/password", {
      current_password: PASSWORD,
      new_password: "a brand new passphrase",
    });
    assert.equal(changed.status, 303);
    assert.notEqual(client.cookies.get("sigil_session"), before, "a new secret after a privilege change");
    assert.equal((await client.get("/account")).status, 200);
    const old = new PageClient(server.url);
    old.cookies.set("sigil_session", before ?? "");
    assert.equal((await old.get("/account")).status, 303, "a copy of the old cookie is refused");
    const bearer = { authorization: `Bearer ${api.accessToken}` };
    assert.equal((await server.request("GET", "/userinfo", { headers: bearer })).status, 401);
  });

  test("return_to: an allowed origin is followed, anything else lands on the account page", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const allowed = await signIn(new PageClient(server.url), user.email, PASSWORD, "http://localhost:5173/app?x=1");
    assert.equal(allowed.location, "http://localhost:5173/app?x=1");
    const evil = await signIn(new PageClient(server.url), user.email, PASSWORD, "https://evil.example/");
    assert.equal(evil.location, "/account");
    const slashes = await signIn(new PageClient(server.url), user.email, PASSWORD, "//evil.example/");
    assert.equal(slashes.location, "/account");
    // Already signed in: straight on.
    const client = new PageClient(server.url);
    await signIn(client, user.email);
    const again = await client.get(`/sign-in?return_to=${encodeURIComponent("http://localhost:5173/")}`);
    assert.equal(again.status, 303);
    assert.equal(again.location, "http://localhost:5173/");
  });

  test("bad input on the forms: a message next to the field, nothing stored", async () => {
    const client = new PageClient(server.url);
    const empty = await client.submit("/sign-up", "/sign-up", { email: "", password: "" });
    assert.equal(empty.status, 400);
    assert.match(empty.html, /Enter your email address/);
    assert.match(empty.html, /aria-describedby="field-email-error"/);
    const huge = await client.submit("/sign-up", "/sign-up", {
      email: `${"a".repeat(400)}@example.com`,
      password: PASSWORD,
    });
    assert.equal(huge.status, 400);
    const twice = await client.post("/sign-up", {
      _csrf: csrfTokenOf((await client.get("/sign-up")).html),
      email: [uniqueEmail("twice"), uniqueEmail("twice")],
      password: PASSWORD,
    });
    assert.equal(twice.status, 400, "a repeated field counts as not sent");
    const lookalike = await client.submit("/sign-up", "/sign-up", {
      email: "admin\u200b@example.com",
      password: PASSWORD,
    });
    assert.equal(lookalike.status, 400);
    assert.match(lookalike.html, /Enter an email address like name@example.com/);
    const weak = await client.submit("/sign-up", "/sign-up", { email: uniqueEmail("weak"), password: "password" });
    assert.equal(weak.status, 400);
    assert.match(weak.html, /commonly used passwords/);
    const stored = await getDb().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email_normalized LIKE 'twice-%' OR email_normalized LIKE 'weak-%'",
    );
    assert.equal(stored.rows[0]?.n, 0);
    const badCode = await client.submit("/verify-email", "/verify-email", {
      email: uniqueEmail("x"),
      code: "<script>",
    });
    assert.equal(badCode.status, 400);
    assert.ok(!badCode.html.includes("<script>"));
    const forged = await client.get("/reset-password?token=%3Cscript%3E");
    assert.equal(forged.status, 200);
    assert.ok(!forged.html.includes('name="token"'), "a malformed token is ignored");
  });

  test("sign-up, verification by the mail's link (one click), sign-in", async () => {
    const email = uniqueEmail("pages");
    const client = new PageClient(server.url);
    const signedUp = await client.submit("/sign-up", "/sign-up", { email, password: PASSWORD });
    assert.equal(signedUp.status, 202);
    assert.match(signedUp.html, /Check your email/);
    const mail = await smtp.nextMessage(email);
    const link = /https?:\/\/\S+\/verify-email\?token=[\w.%-]+/.exec(mail.text)?.[0];
    assert.ok(link, mail.text);
    const landing = await client.get(new URL(link).pathname + new URL(link).search);
    assert.equal(landing.status, 200);
    assert.match(landing.html, /Verify my email/);
    // Loading the page spent nothing: the account is still unverified.
    const row = await getDb().query<{ v: Date | null }>(
      "SELECT email_verified_at AS v FROM users WHERE email_normalized = $1",
      [email],
    );
    assert.equal(row.rows[0]?.v, null);
    const token = /name="token" value="([^"]+)"/.exec(landing.html)?.[1] ?? "";
    const verified = await client.post("/verify-email", { _csrf: csrfTokenOf(landing.html), token });
    assert.equal(verified.status, 303);
    assert.equal(verified.location, "/sign-in?notice=email_verified");
    assert.equal((await signIn(client, email)).status, 303);
  });
});
