// A refresh token belongs to the client it was issued to (RFC 6749 §6, RFC 9700 §4.14): any other
// caller is refused as invalid_grant and the token stays its owner's; a rotated one presented
// by another client is reuse, grace window or not.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase, startTestServer, type TestServer } from "../../src/testing/index.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describeEachDatabase("refresh tokens are bound to their client", (getDb) => {
  let server: TestServer;
  let owner: { id: string; authorization: string };
  let other: { id: string; authorization: string };
  let publicClient: string;
  let user: { email: string; password: string };

  before(async () => {
    // Sessions started with the password grant (on for this test: off by default).
    server = await startTestServer({ database: getDb(), config: { passwordGrant: true } });
    const a = await server.createClient({ name: "owner", grantTypes: ["password", "refresh_token"] });
    const b = await server.createClient({ name: "other", grantTypes: ["password", "refresh_token"] });
    const p = await server.createClient({ name: "spa", grantTypes: ["refresh_token"], confidential: false });
    owner = { id: a.client.id, authorization: a.authorization ?? "" };
    other = { id: b.client.id, authorization: b.authorization ?? "" };
    publicClient = p.client.id;
    user = await server.createUser();
  });
  after(() => server.close());

  async function token(fields: Record<string, string>, authorization?: string) {
    return server.request("POST", "/oauth/token", {
      body: new URLSearchParams(fields).toString(),
      headers: { ...FORM, ...(authorization ? { authorization } : {}) },
    });
  }

  async function ownerSession(): Promise<{ refresh: string; access: string }> {
    const issued = await token(
      { grant_type: "password", username: user.email, password: user.password },
      owner.authorization,
    );
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    return { refresh: issued.body.refresh_token, access: issued.body.access_token };
  }

  test("another caller is refused wrong_client, and the token is neither rotated nor consumed", async () => {
    const { refresh } = await ownerSession();
    const attempts = [
      await server.request("POST", "/auth/refresh", { json: { refresh_token: refresh } }),
      await token({ grant_type: "refresh_token", refresh_token: refresh }, other.authorization),
      await token({ grant_type: "refresh_token", refresh_token: refresh, client_id: publicClient }),
      await token({ grant_type: "refresh_token", refresh_token: refresh }),
    ];
    const [firstParty, ...oauth] = attempts;
    assert.equal(firstParty?.status, 401);
    assert.equal(firstParty?.body.error, "invalid_grant");
    assert.match(firstParty?.body.error_description, /^wrong_client: /);
    for (const answer of oauth) {
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error, "invalid_grant");
      assert.match(answer.body.error_description, /^wrong_client: /);
    }
    // The owner's token still works, once, and the answers above left no trace of a rotation.
    const own = await token({ grant_type: "refresh_token", refresh_token: refresh }, owner.authorization);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    const rows = await getDb().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM refresh_tokens WHERE parent_id = $1",
      [refresh.split(".")[0]],
    );
    assert.equal(rows.rows[0]?.n, 1, "exactly one successor: the owner's");
  });

  test("a first-party refresh token is refreshed only at /auth/refresh", async () => {
    const { refreshToken } = await server.login(user);
    const oauth = await token({ grant_type: "refresh_token", refresh_token: refreshToken }, owner.authorization);
    assert.equal(oauth.body.error, "invalid_grant");
    const firstParty = await server.request("POST", "/auth/refresh", { json: { refresh_token: refreshToken } });
    assert.equal(firstParty.status, 200);
  });

  test("a rotated token from another client is reuse even within the grace window: the session ends", async () => {
    const { refresh, access } = await ownerSession();
    const rotated = await token({ grant_type: "refresh_token", refresh_token: refresh }, owner.authorization);
    assert.equal(rotated.status, 200);
    // Within the grace window the owner's retry is honoured …
    const retry = await token({ grant_type: "refresh_token", refresh_token: refresh }, owner.authorization);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.refresh_token, rotated.body.refresh_token, "the same successor");
    // … another client's is theft.
    const stolen = await token({ grant_type: "refresh_token", refresh_token: refresh }, other.authorization);
    assert.equal(stolen.status, 400);
    assert.match(stolen.body.error_description, /^refresh_token_reused: /);
    const successor = await token(
      { grant_type: "refresh_token", refresh_token: rotated.body.refresh_token },
      owner.authorization,
    );
    assert.match(successor.body.error_description, /^session_revoked: /, "the whole session ended");
    assert.equal((await server.request("GET", "/userinfo", { token: access })).status, 401);
  });
});
