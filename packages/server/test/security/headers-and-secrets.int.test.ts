// Smaller defences: security headers on every answer, metrics on a listener of their own, and
// the server's own secrets sealed with the key-encryption key.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { describeEachDatabase, freePort, startTestServer } from "../../src/testing/index.js";

describeEachDatabase("security headers and the metrics listener", (getDb) => {
  test("every answer carries the security headers; token and user data are never cacheable", async () => {
    const server = await startTestServer({ database: getDb() });
    try {
      const { accessToken } = await server.signIn();
      const answers = [
        await server.request("GET", "/userinfo", { token: accessToken }),
        await server.request("GET", "/auth/sessions", { token: accessToken }),
        await server.request("POST", "/auth/login", { json: { email: "nobody@example.com", password: "wrong one" } }),
        await server.request("GET", "/no/such/path"),
        await server.request("GET", "/healthz"),
        await server.request("GET", "/.well-known/jwks.json"),
      ];
      for (const answer of answers) {
        assert.equal(answer.headers.get("x-content-type-options"), "nosniff");
        assert.equal(answer.headers.get("referrer-policy"), "no-referrer");
        assert.equal(answer.headers.get("x-frame-options"), "DENY");
        assert.match(answer.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
      }
      for (const answer of answers.slice(0, 4)) assert.equal(answer.headers.get("cache-control"), "no-store");
      assert.match(answers[5]?.headers.get("cache-control") ?? "", /^public, max-age=/, "the JWKS stays cacheable");
    } finally {
      await server.close();
    }
  });

  test("SIGIL_METRICS_ADDRESS: /metrics only on its own listener", async () => {
    const port = await freePort();
    const server = await startTestServer({ database: getDb(), env: { SIGIL_METRICS_ADDRESS: `127.0.0.1:${port}` } });
    try {
      assert.equal((await server.request("GET", "/metrics")).status, 404, "not on the main listener");
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(scraped.status, 200);
      assert.match(await scraped.text(), /^# TYPE sigil_logins_total counter$/m);
      assert.equal((await fetch(`http://127.0.0.1:${port}/auth/login`)).status, 404, "and nothing else there");
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`), "closed with the server");
  });
});

// A database of its own: signing keys made without a key-encryption key would (rightly) stop a
// server that has one.
describeEachDatabase("the server's own secrets", (getDb) => {
  test("are sealed with the key-encryption key, and stay the same values", async () => {
    const kek = randomBytes(32).toString("base64url");
    const env = { SIGIL_KEY_ENCRYPTION_KEY: kek };
    const first = await startTestServer({ database: getDb(), env });
    const keys = [first.context.refreshDerivationKey, first.context.deviceKey];
    await first.close();
    const rows = await getDb().query<{ name: string; secret: Uint8Array | null; sealed: string }>(
      "SELECT name, secret, sealed FROM server_secrets ORDER BY name",
    );
    for (const row of rows.rows) {
      assert.match(row.sealed, /^v1\./, `${row.name} is sealed`);
      assert.equal(row.secret, null, `${row.name} keeps no raw copy`);
      for (const key of keys) assert.ok(!row.sealed.includes(key.toString("base64url")));
    }
    const second = await startTestServer({ database: getDb(), env });
    try {
      assert.deepEqual([second.context.refreshDerivationKey, second.context.deviceKey], keys);
    } finally {
      await second.close();
    }
  });
});
