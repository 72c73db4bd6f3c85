import assert from "node:assert/strict";
import { test } from "node:test";
import { authenticateClient, requireAuthenticatedClient } from "../../src/clients/authenticate-client.js";
import { hashClientSecret, verifyClientSecret } from "../../src/clients/client-secret.js";
import { createClient } from "../../src/clients/create-client.js";
import { OAuthError } from "../../src/clients/oauth-error.js";
import { disableClient, findClient } from "../../src/store/clients.js";
import { describeEachDatabase } from "../../src/testing/index.js";

function basic(id: string, secret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replaceAll("%20", "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof OAuthError, String(err));
    return err;
  }
  assert.fail("expected an OAuthError");
}

test("client secrets: SHA-256 at rest, constant-time check, unreadable hashes never match", () => {
  const stored = hashClientSecret("s3cret");
  assert.match(stored, /^sha256:[\w-]{43}$/);
  assert.equal(verifyClientSecret("s3cret", stored), true);
  assert.equal(verifyClientSecret("s3creT", stored), false);
  assert.equal(verifyClientSecret("s3cret", null), false);
  assert.equal(verifyClientSecret("s3cret", "$argon2id$v=19$whatever"), false);
  assert.equal(verifyClientSecret("s3cret", "sha256:short"), false);
});

describeEachDatabase("client registry", (getDb) => {
  test("a wrong secret, an unknown client and a disabled client get the same invalid_client", async () => {
    const db = getDb();
    const { client, secret } = await createClient(db, { name: "svc", grantTypes: ["client_credentials"] });
    assert.ok(secret);
    const wrong = await refusal(authenticateClient(db, { authorization: basic(client.id, `${secret}x`), body: {} }));
    const unknown = await refusal(authenticateClient(db, { authorization: basic("nobody", secret), body: {} }));
    const disabledClient = await createClient(db, { name: "old", grantTypes: ["client_credentials"] });
    await disableClient(db, disabledClient.client.id, new Date());
    const disabled = await refusal(
      authenticateClient(db, { body: { client_id: disabledClient.client.id, client_secret: disabledClient.secret } }),
    );
    for (const err of [wrong, unknown, disabled]) {
      assert.equal(err.code, "invalid_client");
      assert.equal(err.status, 401);
      assert.equal(err.message, "Client authentication failed.");
    }
  });

  test("malformed Basic credentials and two methods at once are refused", async () => {
    const db = getDb();
    const { client, secret } = await createClient(db, { name: "svc", grantTypes: ["client_credentials"] });
    assert.ok(secret);
    for (const authorization of ["Basic !!!", "Basic " + Buffer.from("no-colon").toString("base64"), "Bearer abc"]) {
      assert.equal((await refusal(authenticateClient(db, { authorization, body: {} }))).code, "invalid_client");
    }
    const both = await refusal(
      authenticateClient(db, { authorization: basic(client.id, secret), body: { client_secret: secret } }),
    );
    assert.equal(both.code, "invalid_request");
    const mismatch = await refusal(
      authenticateClient(db, { authorization: basic(client.id, secret), body: { client_id: "other" } }),
    );
    assert.equal(mismatch.code, "invalid_request");
    const arrays = await refusal(authenticateClient(db, { body: { client_id: [client.id], client_secret: secret } }));
    assert.equal(arrays.code, "invalid_request");
  });

  test("client_secret_basic decodes form-urlencoded ids and secrets (RFC 6749 §2.3.1)", async () => {
    const db = getDb();
    const { client, secret } = await createClient(db, {
      name: "svc",
      grantTypes: ["client_credentials"],
      id: "svc.a~b",
    });
    assert.ok(secret);
    const result = await authenticateClient(db, { authorization: basic(client.id, secret), body: {} });
    assert.equal(result.kind, "authenticated");
    assert.equal(result.kind === "authenticated" && result.method, "client_secret_basic");
    assert.equal(result.kind === "authenticated" && result.client.id, "svc.a~b");
    // A percent-encoded id decodes to the same client.
    const encoded = `Basic ${Buffer.from(`svc.a%7Eb:${secret}`).toString("base64")}`;
    assert.equal((await authenticateClient(db, { authorization: encoded, body: {} })).kind, "authenticated");
  });

  test("client_secret_post authenticates; the secret is never stored", async () => {
    const db = getDb();
    const { client, secret } = await createClient(db, {
      name: "billing",
      grantTypes: ["client_credentials"],
      audience: "https://billing.internal",
      scopes: ["invoices:read", "invoices:read"],
    });
    assert.ok(secret);
    assert.equal(secret.length, 43);
    assert.deepEqual(client.scopes, ["invoices:read"]);
    const row = await findClient(db, client.id);
    assert.ok(row?.secretHash);
    assert.ok(!row.secretHash.includes(secret));
    const result = await authenticateClient(db, { body: { client_id: client.id, client_secret: secret } });
    assert.deepEqual(result.kind === "authenticated" ? [result.method, result.client.audience] : result.kind, [
      "client_secret_post",
      "https://billing.internal",
    ]);
  });

  test("public clients identify themselves by id; confidential ones must prove their secret", async () => {
    const db = getDb();
    const app = await createClient(db, { name: "web", grantTypes: ["password", "refresh_token"], confidential: false });
    assert.equal(app.secret, null);
    const result = await authenticateClient(db, { body: { client_id: app.client.id } });
    assert.equal(result.kind, "public");
    assert.equal(
      (await refusal(requireAuthenticatedClient(db, { body: { client_id: app.client.id } }))).code,
      "invalid_client",
    );
    // A public client presenting some secret is refused too (it has none to match).
    assert.equal(
      (await refusal(authenticateClient(db, { body: { client_id: app.client.id, client_secret: "guess" } }))).code,
      "invalid_client",
    );
    const svc = await createClient(db, { name: "svc", grantTypes: ["client_credentials"] });
    assert.equal(
      (await refusal(authenticateClient(db, { body: { client_id: svc.client.id } }))).code,
      "invalid_client",
    );
    assert.deepEqual(await authenticateClient(db, { body: {} }), { kind: "none" });
    assert.equal((await refusal(requireAuthenticatedClient(db, { body: {} }))).code, "invalid_client");
  });

  test("registration input is validated", async () => {
    const db = getDb();
    await assert.rejects(
      createClient(db, { name: "x", grantTypes: ["client_credentials"], id: "has space" }),
      TypeError,
    );
    await assert.rejects(
      createClient(db, { name: "x", grantTypes: ["client_credentials"], scopes: ['a"b'] }),
      TypeError,
    );
    await assert.rejects(
      createClient(db, { name: "x", grantTypes: ["client_credentials"], confidential: false }),
      /public client/,
    );
  });
});
