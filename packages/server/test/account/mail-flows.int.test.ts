// The account flows that go through a mailbox, over the JSON API, with a real SMTP server: sign-up
// without enumeration, email verification, password reset (which ends every session at once),
// and email change. Codes are read from the mail as a person would read them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  describeEachDatabase,
  type ReceivedMail,
  startTestServer,
  startTestSmtpServer,
  type TestServer,
  type TestSmtpServer,
  uniqueEmail,
} from "../../src/testing/index.js";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a different long passphrase";

/** The code a mail shows (XXXX-XXXX) and the token of its link. */
function codeOf(mail: ReceivedMail): { code: string; token: string } {
  const code = /\b([2-9A-Z]{4}-[2-9A-Z]{4})\b/.exec(mail.text)?.[1];
  const token = /[?&]token=([\w.-]+)/.exec(mail.text)?.[1];
  assert.ok(code && token, `a code and a link in:\n${mail.text}`);
  return { code, token: decodeURIComponent(token) };
}

describeEachDatabase("account flows by mail (JSON API)", (getDb) => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  let clock = Date.now();

  before(async () => {
    smtp = await startTestSmtpServer();
    server = await startTestServer({
      database: getDb(),
      now: () => clock,
      env: {
        SIGIL_SMTP_URL: smtp.url,
        SIGIL_MAIL_FROM: "Sigil <no-reply@example.com>",
        SIGIL_REQUIRE_VERIFIED_EMAIL: "true",
        // Every request of these tests comes from 127.0.0.1: the per-address allowance is raised so
        // that only the per-account one (8 here, above a code's 5 attempts) is under test.
        SIGIL_LOGIN_ACCOUNT_FAILURES: "8",
        SIGIL_LOGIN_ADDRESS_FAILURES: "1000",
      },
    });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    server.request("POST", path, { json, headers });
  const userCount = async (email: string) =>
    (await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE email_normalized = $1", [email]))
      .rows[0]?.n;

  test("sign-up answers the same for a new and a taken address; the owner of the taken one is told", async () => {
    const email = uniqueEmail("signup");
    const first = await post("/auth/register", { email, password: PASSWORD });
    assert.equal(first.status, 202);
    assert.deepEqual(first.body, { status: "check_your_email" });
    const verification = await smtp.nextMessage(email);
    assert.match(verification.subject, /verif/i);
    assert.doesNotMatch(verification.subject, /[2-9A-Z]{4}-[2-9A-Z]{4}/, "no code in the subject");
    codeOf(verification);

    const again = await post("/auth/register", { email: email.toUpperCase(), password: "another fine passphrase" });
    assert.equal(again.status, first.status);
    assert.deepEqual(again.body, first.body);
    const notice = await smtp.nextMessage(email);
    assert.doesNotMatch(notice.text, /\b[2-9A-Z]{4}-[2-9A-Z]{4}\b/, "a notice carries no code");
    assert.equal(await userCount(email), 1);
  });

  test("an unverified account cannot sign in until the code comes back; wrong codes count and spend it", async () => {
    const email = uniqueEmail("verify");
    await post("/auth/register", { email, password: PASSWORD });
    const first = codeOf(await smtp.nextMessage(email));

    const early = await post("/auth/login", { email, password: PASSWORD });
    assert.equal(early.status, 403);
    assert.equal(early.body.error, "email_not_verified");
    // The wrong password still gets the one answer: being unverified is told only to the owner.
    assert.equal((await post("/auth/login", { email, password: "not the password at all" })).status, 401);

    const wrong = await post("/auth/email/verify", { email, code: "2222-2222" });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, "invalid_grant");
    assert.match(wrong.body.error_description, /^invalid_code/);

    // A new code retires the first.
    assert.equal((await post("/auth/email/verify/resend", { email })).status, 202);
    const second = codeOf(await smtp.nextMessage(email));
    assert.equal((await post("/auth/email/verify", { email, code: first.code })).status, 400);
    // Typed as people type: lower case, spaces, no dash.
    const typed = second.code.toLowerCase().replace("-", " ");
    assert.equal((await post("/auth/email/verify", { email, code: typed })).status, 204);
    assert.equal((await post("/auth/email/verify", { email, code: second.code })).status, 400, "single use");
    assert.equal((await post("/auth/login", { email, password: PASSWORD })).status, 200);
  });

  test("five wrong codes spend a code; the link verifies once", async () => {
    const email = uniqueEmail("spent");
    await post("/auth/register", { email, password: PASSWORD });
    const { code, token } = codeOf(await smtp.nextMessage(email));
    for (let i = 0; i < 5; i++) {
      assert.equal((await post("/auth/email/verify", { email, code: "ZZZZ-ZZZZ" })).status, 400);
    }
    assert.equal((await post("/auth/email/verify", { email, code })).status, 400, "spent by the wrong attempts");
    assert.equal((await post("/auth/email/verify", { token })).status, 400, "the link of a spent code is spent too");

    await post("/auth/email/verify/resend", { email });
    const fresh = codeOf(await smtp.nextMessage(email));
    assert.equal((await post("/auth/email/verify", { token: fresh.token })).status, 204);
    assert.equal((await post("/auth/email/verify", { token: fresh.token })).status, 400);
  });

  test("verification and reset codes expire", async () => {
    const email = uniqueEmail("expiry");
    await post("/auth/register", { email, password: PASSWORD });
    const { code } = codeOf(await smtp.nextMessage(email));
    clock += 31 * 60_000; // SIGIL_VERIFICATION_CODE_TTL is 30 minutes
    assert.equal((await post("/auth/email/verify", { email, code })).status, 400);
  });

  test("a resend for an unknown or verified address answers the same and sends nothing", async () => {
    const unknown = uniqueEmail("nobody");
    const answer = await post("/auth/email/verify/resend", { email: unknown });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, { status: "check_your_email" });
    const verified = await server.createUser();
    assert.equal((await post("/auth/email/verify/resend", { email: verified.email })).status, 202);
    assert.equal(
      smtp.messages.filter((m) => m.envelope.to.includes(unknown) || m.envelope.to.includes(verified.email)).length,
      0,
    );
  });

  test("password reset: same answer for any address; the reset ends every session at once and tells the owner", async () => {
    const unknown = uniqueEmail("ghost");
    const none = await post("/auth/password/forgot", { email: unknown });
    assert.equal(none.status, 202);

    const user = await server.createUser({ password: PASSWORD });
    const session = await server.login(user);
    const forgot = await post("/auth/password/forgot", { email: user.email });
    assert.equal(forgot.status, 202);
    assert.deepEqual(forgot.body, none.body);
    const mail = await smtp.nextMessage(user.email);
    const { code } = codeOf(mail);

    const weak = await post("/auth/password/reset", { email: user.email, code, new_password: "password" });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error, "weak_password");

    const reset = await post("/auth/password/reset", { email: user.email, code, new_password: NEW_PASSWORD });
    assert.equal(reset.status, 204);
    // The old session: its access token and its refresh token are refused now.
    const userinfo = await server.request("GET", "/userinfo", {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    assert.equal(userinfo.status, 401);
    const refreshed = await post("/auth/refresh", { refresh_token: session.refreshToken });
    assert.equal(refreshed.status, 401);
    assert.match(refreshed.body.error_description, /^session_revoked/);
    // A revocation the feed pushes to every verifier: a user_before row for this user.
    const rows = await getDb().query("SELECT 1 FROM revocations WHERE user_id = $1 AND kind = 'user_before'", [
      user.id,
    ]);
    assert.equal(rows.rows.length, 1);
    const notice = await smtp.nextMessage(user.email);
    assert.match(notice.subject, /password/i);

    assert.equal((await post("/auth/login", { email: user.email, password: PASSWORD })).status, 401);
    assert.equal((await post("/auth/login", { email: user.email, password: NEW_PASSWORD })).status, 200);
    const replay = await post("/auth/password/reset", {
      email: user.email,
      code,
      new_password: "yet another passphrase",
    });
    assert.equal(replay.status, 400, "a code works once");
  });

  test("a reset link expires after SIGIL_PASSWORD_RESET_TTL", async () => {
    const user = await server.createUser();
    await post("/auth/password/forgot", { email: user.email });
    const { token } = codeOf(await smtp.nextMessage(user.email));
    clock += 16 * 60_000;
    const late = await post("/auth/password/reset", { token, new_password: NEW_PASSWORD });
    assert.equal(late.status, 400);
    assert.match(late.body.error_description, /^invalid_code/);
  });

  test("email change: proven by the current password, confirmed at the new address, noticed at the old", async () => {
    const user = await server.createUser({ password: PASSWORD });
    const session = await server.login(user);
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    const newEmail = uniqueEmail("moved");

    const wrong = await post("/auth/email", { current_password: "not my password", new_email: newEmail }, bearer);
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error, "invalid_current_password");

    // Another account's address: the same answer, and nothing is sent to it.
    const other = await server.createUser();
    const taken = await post("/auth/email", { current_password: PASSWORD, new_email: other.email }, bearer);
    assert.equal(taken.status, 202);

    const asked = await post("/auth/email", { current_password: PASSWORD, new_email: newEmail }, bearer);
    assert.equal(asked.status, 202);
    const { code } = codeOf(await smtp.nextMessage(newEmail));
    const notice = await smtp.nextMessage(user.email);
    assert.ok(notice.text.includes(newEmail), "the old address is told where the account is moving");
    assert.equal(smtp.messages.filter((m) => m.envelope.to.includes(other.email)).length, 0);

    assert.equal((await post("/auth/email/confirm", { code }, bearer)).status, 204);
    assert.equal((await post("/auth/login", { email: user.email, password: PASSWORD })).status, 401);
    assert.equal((await post("/auth/login", { email: newEmail, password: PASSWORD })).status, 200);
  });

  test("bad input: a clear 400, nothing stored, no mail", async () => {
    const before = smtp.messages.length;
    const cases: Array<[string, unknown]> = [
      ["/auth/email/verify", {}],
      ["/auth/email/verify", { email: uniqueEmail("x"), code: "2222-2222", token: "a.b" }],
      ["/auth/email/verify", { code: "2222-2222" }],
      ["/auth/email/verify", { email: uniqueEmail("x"), code: "x".repeat(33) }],
      ["/auth/password/reset", { token: "a.b" }],
      ["/auth/password/reset", { token: "a.b", new_password: "" }],
      ["/auth/password/forgot", { email: "" }],
      ["/auth/password/forgot", { email: `${"a".repeat(320)}@example.com` }],
      ["/auth/password/forgot", { email: "not an address" }],
      ["/auth/password/forgot", { email: "eve\u200b@example.com" }],
      ["/auth/register", { email: "eve\u202e@example.com", password: PASSWORD }],
      ["/auth/email/verify/resend", { email: ["a@example.com"] }],
    ];
    for (const [path, json] of cases) {
      const answer = await post(path, json);
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(json).slice(0, 80)}`);
      assert.equal(typeof answer.body.error_description, "string");
    }
    const forged = await post("/auth/email/verify", { token: "nosuchcode.nosuchsecret" });
    assert.equal(forged.status, 400);
    assert.equal(smtp.messages.length, before, "no mail for refused input");
  });

  test("recovery attempts are throttled per account, apart from sign-in", async () => {
    const user = await server.createUser();
    let last = 0;
    for (let i = 0; i < 20 && last !== 429; i++) {
      last = (await post("/auth/password/reset", { email: user.email, code: "2222-2222", new_password: NEW_PASSWORD }))
        .status;
    }
    assert.equal(last, 429);
    assert.equal(
      (await post("/auth/login", { email: user.email, password: user.password })).status,
      200,
      "sign-in unaffected",
    );
  });
});
