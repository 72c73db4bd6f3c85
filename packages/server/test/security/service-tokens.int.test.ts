// A service token is never a user token: endpoints that act for a user refuse it with a reason of
// its own, and its default audience is never the users'.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase, startTestServer, type TestServer } from "../../src/testing/index.js";

describeEachDatabase("service tokens", (getDb) => {
  let server: TestServer;
  let serviceToken: string;
  let claims: Record<string, unknown>;

  before(async () => {
    server = await startTestServer({ database: getDb() });
    const { authorization } = await server.createClient({ name: "billing", grantTypes: ["client_credentials"] });
    const issued = await server.request("POST", "/oauth/token", {
      body: "grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: authorization ?? "" },
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    serviceToken = issued.body.access_token;
    claims = JSON.parse(Buffer.from(serviceToken.split(".")[1] ?? "", "base64url").toString());
  });
  after(() => server.close());

  test("its audience is the service audience, never the users'", () => {
    assert.equal(claims.aud, `${server.issuer}/services`);
    assert.notEqual(claims.aud, server.audience);
    assert.equal(claims.sid, undefined);
    assert.equal(claims.sub, claims.client_id);
  });

  test("every endpoint that acts for a user refuses it: 401 invalid_token, user_token_required", async () => {
    const revocationsBefore = await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM revocations");
    for (const [method, path] of [
      ["GET", "/userinfo"],
      ["GET", "/auth/sessions"],
      ["POST", "/auth/logout-all"],
      ["POST", "/auth/logout"],
      ["GET", "/auth/verify"],
      ["POST", "/auth/password"],
    ] as const) {
      const answer = await server.request(method, path, {
        token: serviceToken,
        ...(path === "/auth/password" ? { json: { current_password: "x", new_password: "y" } } : {}),
      });
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.headers.get("www-authenticate"), 'Bearer error="invalid_token"', path);
      if (method !== "GET" || path !== "/auth/verify") {
        assert.equal(answer.body.error, "invalid_token", path);
        assert.match(answer.body.error_description, /service token/, path);
      }
    }
    const revocationsAfter = await getDb().query<{ n: number }>("SELECT count(*)::int AS n FROM revocations");
    assert.equal(revocationsAfter.rows[0]?.n, revocationsBefore.rows[0]?.n, "logout-all wrote no revocation");
  });

  test("introspection still answers for it (to a client allowed to ask)", async () => {
    const introspector = await server.createClient({
      name: "gateway",
      grantTypes: ["client_credentials"],
      permissions: ["introspection"],
    });
    const answer = await server.request("POST", "/oauth/introspect", {
      body: new URLSearchParams({ token: serviceToken }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: introspector.authorization ?? "" },
    });
    assert.equal(answer.body.active, true);
    assert.equal(answer.body.aud, `${server.issuer}/services`);
  });
});
