import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase } from "../../src/testing/index.js";
import { call, GOOD_PASSWORD, startTestServer, type TestServer, uniqueEmail } from "../support/test-server.js";

describeEachDatabase("bad input → clear 4xx, nothing stored", (getDb) => {
  let server: TestServer;
  const userCount = async (): Promise<number> =>
    (await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM users")).rows[0]!.n;
  before(async () => {
    server = await startTestServer(getDb());
  });
  after(() => server.close());

  test("malformed JSON → 400 invalid_request without echoing the body", async () => {
    const before = await userCount();
    const body = '{"email": "a@example.com", "password": "hunter2-secret-value"';
    const response = await call(server, "POST", "/auth/register", {
      body,
      headers: { "content-type": "application/json" },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { error: "invalid_request", error_description: "The body is not valid JSON." });
    assert.equal(await userCount(), before);
  });

  test("wrong types, missing fields, arrays, unknown fields → 400 invalid_request", async () => {
    const before = await userCount();
    const email = uniqueEmail();
    const bodies: unknown[] = [
      { email: 123, password: GOOD_PASSWORD },
      { email, password: 12345678901 },
      { email, password: [GOOD_PASSWORD] },
      { email },
      [email, GOOD_PASSWORD],
      "just a string",
      null,
      { email, password: GOOD_PASSWORD, roles: ["admin"] },
      { email, password: GOOD_PASSWORD, __proto__: { admin: true }, constructor: "x" },
    ];
    for (const json of bodies) {
      for (const path of ["/auth/register", "/auth/login"]) {
        const response = await call(server, "POST", path, { json });
        assert.equal(response.status, 400, `${path} ${JSON.stringify(json)}`);
        assert.equal(response.body.error, "invalid_request");
        assert.equal(typeof response.body.error_description, "string");
      }
    }
    const refresh = await call(server, "POST", "/auth/refresh", { json: { refresh_token: "x", extra: 1 } });
    assert.equal(refresh.status, 400);
    assert.equal(await userCount(), before);
  });

  test("each 400 names what is wrong: the missing or unknown field, or the field of the wrong type", async () => {
    const email = uniqueEmail();
    const described = async (json: unknown): Promise<string> => {
      const response = await call(server, "POST", "/auth/login", { json });
      assert.equal(response.status, 400);
      return response.body.error_description;
    };
    assert.equal(await described({ email }), 'body is missing the field "password"');
    assert.equal(
      await described({ email, password: GOOD_PASSWORD, roles: ["admin"] }),
      'body has a field this endpoint does not take: "roles"',
    );
    assert.equal(await described({ email, password: 12345678901 }), "body/password must be string");
    assert.equal(await described([email, GOOD_PASSWORD]), "body must be object");
    // A field name is the client's own text: echoed, but cut short.
    const long = await described({ email, password: GOOD_PASSWORD, ["x".repeat(500)]: 1 });
    assert.ok(long.length < 140, long);
    // Never a value: a wrong-typed password stays out of the answer.
    assert.doesNotMatch(await described({ email, password: ["hunter2-secret-value"] }), /hunter2/);
  });

  test("an oversized body → 413 with a JSON error", async () => {
    const before = await userCount();
    const response = await call(server, "POST", "/auth/register", {
      json: { email: uniqueEmail(), password: "x".repeat(20 * 1024) },
    });
    assert.equal(response.status, 413);
    assert.equal(response.body.error, "request_too_large");
    assert.equal(await userCount(), before);
  });

  test("a non-JSON content type → 415", async () => {
    for (const [type, payload] of [
      ["application/x-www-form-urlencoded", "email=a@example.com&password=x"],
      ["text/plain", '{"email":"a@example.com","password":"x"}'],
      ["application/xml", "<login/>"],
    ]) {
      const response = await call(server, "POST", "/auth/login", {
        body: payload,
        headers: { "content-type": type! },
      });
      assert.equal(response.status, 415, type);
      assert.deepEqual(response.body, {
        error: "unsupported_media_type",
        error_description: "Send the body as application/json.",
      });
    }
  });

  test("malformed emails → 400 invalid_request; nothing stored", async () => {
    const before = await userCount();
    for (const email of [
      "",
      "no-at-sign",
      "@example.com",
      "a@",
      "a@@example.com",
      "a b@example.com",
      "a\u0000@x.com",
      `${"a".repeat(250)}@x.com`,
    ]) {
      const response = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
      assert.equal(response.status, 400, JSON.stringify(email));
      assert.equal(response.body.error, "invalid_request");
    }
    assert.equal(await userCount(), before);
  });

  test("SQL-looking strings are data: stored verbatim, never executed", async () => {
    const email = `o'brien;--${process.pid}@example.com`;
    const created = await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(created.status, 202);
    for (const attempt of [
      { email: "' OR '1'='1", password: "' OR '1'='1" },
      { email, password: "x' OR 1=1; DROP TABLE users; --" },
      { email: "a@example.com'; DELETE FROM sessions; --", password: GOOD_PASSWORD },
    ]) {
      const response = await call(server, "POST", "/auth/login", { json: attempt });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, "invalid_grant");
    }
    const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    assert.equal(login.status, 200);
    const stored = await getDb().query<{ email: string }>("SELECT email FROM users WHERE email_normalized = $1", [
      email.toLowerCase(),
    ]);
    assert.equal(stored.rows[0]?.email, email);
  });

  test("unicode emails: NFC and NFD spellings and case are one account", async () => {
    const nfc = `zoë.ünïcødé-${process.pid}@exämple.com`.normalize("NFC");
    const nfd = nfc.normalize("NFD").toUpperCase();
    assert.notEqual(nfc, nfd);
    const created = await call(server, "POST", "/auth/register", { json: { email: nfc, password: GOOD_PASSWORD } });
    assert.equal(created.status, 202);
    const duplicate = await call(server, "POST", "/auth/register", { json: { email: nfd, password: GOOD_PASSWORD } });
    assert.equal(duplicate.status, 202, "the same answer as a new address");
    const accounts = await getDb().query("SELECT 1 FROM users WHERE email = $1", [nfc]);
    assert.equal(accounts.rows.length, 1, "one account");
    const login = await call(server, "POST", "/auth/login", { json: { email: nfd, password: GOOD_PASSWORD } });
    assert.equal(login.status, 200);
    const info = await call(server, "GET", "/userinfo", { token: login.body.access_token });
    assert.equal(info.body.email, nfc);
  });

  test("unknown routes → 404 JSON", async () => {
    const response = await call(server, "GET", "/auth/nothing-here");
    assert.equal(response.status, 404);
    assert.equal(response.body.error, "not_found");
  });
});
