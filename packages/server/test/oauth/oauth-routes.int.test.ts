import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createVerifier } from "@sigil/jwt";
import type { FastifyInstance } from "fastify";
import { createClient } from "../../src/clients/create-client.js";
import type { ServerConfig } from "../../src/config/config.js";
import type { KeyManager } from "../../src/keys/key-manager.js";
import { buildMetadata } from "../../src/routes/oauth/well-known.js";
import type { Database } from "../../src/store/database.js";
import { describeEachDatabase } from "../../src/testing/index.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

// The real server, answered through inject(): the wire is not what these tests are about.
describeEachDatabase("OAuth and discovery endpoints", (getDb) => {
  let server: TestServer;
  let app: FastifyInstance;
  let db: Database;
  let keys: KeyManager;
  let ISSUER: string;
  let clock = Date.now();
  const now = (): number => clock;
  const config = { accessTokenTtl: 900, clockTolerance: 30 };
  let service: { id: string; secret: string };
  let webApp: { id: string; secret: string };
  let reporting: { id: string; secret: string };

  before(async () => {
    db = getDb();
    server = await startTestServer(db, {
      now,
      config: { hashConcurrency: 1, bodyLimit: 16 * 1024, passwordGrant: true },
    });
    app = server.app;
    keys = server.keys;
    ISSUER = server.issuer;
    const created = await createClient(db, {
      name: "billing",
      grantTypes: ["client_credentials"],
      audience: "https://billing.internal",
      scopes: ["invoices:read", "invoices:write"],
      permissions: ["introspection"],
    });
    service = { id: created.client.id, secret: created.secret ?? "" };
    const web = await createClient(db, { name: "web", grantTypes: ["password", "refresh_token"] });
    webApp = { id: web.client.id, secret: web.secret ?? "" };
    const report = await createClient(db, { name: "reporting", grantTypes: ["refresh_token"] });
    reporting = { id: report.client.id, secret: report.secret ?? "" };
    await server.createUser({ email: "ada@example.test", password: "correct horse battery" });
  });
  after(async () => {
    await server.close();
  });

  /** Whether a refresh token still works (a refresh rotates it: pass one you no longer need). */
  async function refreshWorks(refreshToken: string, as: { id: string; secret: string }): Promise<boolean> {
    return (
      (
        await token(
          { grant_type: "refresh_token", refresh_token: refreshToken },
          { authorization: basic(as.id, as.secret) },
        )
      ).status === 200
    );
  }

  async function token(
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
    const response = await app.inject({
      method: "POST",
      url: "/oauth/token",
      headers: { ...FORM, ...headers },
      payload: form(fields),
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  }

  async function introspect(tokenValue: string, as = service): Promise<Record<string, unknown>> {
    const response = await app.inject({
      method: "POST",
      url: "/oauth/introspect",
      headers: { ...FORM, authorization: basic(as.id, as.secret) },
      payload: form({ token: tokenValue }),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["cache-control"], "no-store");
    return response.json();
  }

  function assertOAuthError(
    result: { status: number; body: Record<string, unknown>; headers: Record<string, unknown> },
    status: number,
    error: string,
  ): void {
    assert.equal(result.status, status, JSON.stringify(result.body));
    assert.equal(result.body.error, error);
    assert.equal(typeof result.body.error_description, "string");
    assert.deepEqual(Object.keys(result.body).sort(), ["error", "error_description"]);
    assert.equal(result.headers["cache-control"], "no-store");
    assert.equal(result.headers.pragma, "no-cache");
    if (status === 401) assert.match(String(result.headers["www-authenticate"]), /^Basic realm="sigil"/);
  }

  test("token endpoint: every RFC 6749 §5.2 error", async () => {
    assertOAuthError(await token({}), 400, "invalid_request");
    assertOAuthError(await token({ grant_type: "implicit" }), 400, "unsupported_grant_type");
    // The code grant names its client (RFC 6749 §4.1.3): without one, invalid_client.
    assertOAuthError(await token({ grant_type: "authorization_code", code: "x" }), 401, "invalid_client");
    assertOAuthError(await token({ grant_type: ["client_credentials", "password"] }), 400, "invalid_request");
    // Not form-encoded.
    const json = await app.inject({
      method: "POST",
      url: "/oauth/token",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ grant_type: "client_credentials" }),
    });
    assertOAuthError({ status: json.statusCode, body: json.json(), headers: json.headers }, 400, "invalid_request");
    // No client, wrong secret (Basic and post), unknown client: invalid_client, 401, Basic challenge.
    assertOAuthError(await token({ grant_type: "client_credentials" }), 401, "invalid_client");
    assertOAuthError(
      await token({ grant_type: "client_credentials" }, { authorization: basic(service.id, `${service.secret}x`) }),
      401,
      "invalid_client",
    );
    assertOAuthError(
      await token({ grant_type: "client_credentials", client_id: service.id, client_secret: "wrong" }),
      401,
      "invalid_client",
    );
    assertOAuthError(
      await token({ grant_type: "client_credentials" }, { authorization: basic("nobody", service.secret) }),
      401,
      "invalid_client",
    );
    // Two authentication methods at once.
    assertOAuthError(
      await token(
        { grant_type: "client_credentials", client_secret: service.secret },
        { authorization: basic(service.id, service.secret) },
      ),
      400,
      "invalid_request",
    );
    // A client not registered for the grant.
    assertOAuthError(
      await token({ grant_type: "client_credentials" }, { authorization: basic(webApp.id, webApp.secret) }),
      400,
      "unauthorized_client",
    );
    assertOAuthError(
      await token(
        { grant_type: "password", username: "ada@example.test", password: "correct horse battery" },
        { authorization: basic(service.id, service.secret) },
      ),
      400,
      "unauthorized_client",
    );
    assertOAuthError(
      await token(
        { grant_type: "client_credentials", scope: "invoices:read admin" },
        { authorization: basic(service.id, service.secret) },
      ),
      400,
      "invalid_scope",
    );
    assertOAuthError(await token({ grant_type: "password", username: "ada@example.test" }), 400, "invalid_request");
    const wrongPassword = await token({
      grant_type: "password",
      username: "ada@example.test",
      password: "nope nope nope",
    });
    assertOAuthError(wrongPassword, 400, "invalid_grant");
    const unknownUser = await token({
      grant_type: "password",
      username: "bob@example.test",
      password: "nope nope nope",
    });
    assert.deepEqual(unknownUser.body, wrongPassword.body);
    const badRefresh = await token({ grant_type: "refresh_token", refresh_token: "not-a-token" });
    assertOAuthError(badRefresh, 400, "invalid_grant");
    assert.match(String(badRefresh.body.error_description), /^unknown_token/);
    const big = await app.inject({
      method: "POST",
      url: "/oauth/token",
      headers: FORM,
      payload: form({ grant_type: "password", username: "a", password: "x".repeat(20_000) }),
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error, "invalid_request");
  });

  test("client_credentials: an RFC 9068 token for the client's own audience", async () => {
    const result = await token(
      { grant_type: "client_credentials", scope: "invoices:read" },
      { authorization: basic(service.id, service.secret) },
    );
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.headers["cache-control"], "no-store");
    assert.equal(result.headers.pragma, "no-cache");
    assert.deepEqual(Object.keys(result.body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
    assert.equal(result.body.token_type, "Bearer");
    assert.equal(result.body.expires_in, 900);
    assert.equal(result.body.scope, "invoices:read");
    const verify = createVerifier({
      algorithms: ["EdDSA"],
      keys: keys.keyRing,
      issuer: ISSUER,
      audience: "https://billing.internal",
      typ: "at+jwt",
      now,
    });
    const { header, payload } = verify(String(result.body.access_token));
    assert.equal(header.typ, "at+jwt");
    assert.equal(header.kid, keys.signingKey().kid);
    assert.equal(payload.sub, service.id);
    assert.equal(payload.client_id, service.id);
    assert.equal(payload.scope, "invoices:read");
    assert.equal(payload.sid, undefined);
    // client_secret_post and the default scope (everything registered).
    const post = await token({
      grant_type: "client_credentials",
      client_id: service.id,
      client_secret: service.secret,
    });
    assert.equal(post.status, 200);
    assert.equal(post.body.scope, "invoices:read invoices:write");
  });

  test("introspection: 401 without client authentication, inactive for anything invalid", async () => {
    const anonymous = await app.inject({
      method: "POST",
      url: "/oauth/introspect",
      headers: FORM,
      payload: form({ token: "x" }),
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error, "invalid_client");
    assert.match(String(anonymous.headers["www-authenticate"]), /^Basic/);
    const wrong = await app.inject({
      method: "POST",
      url: "/oauth/introspect",
      headers: { ...FORM, authorization: basic(service.id, "guess") },
      payload: form({ token: "x" }),
    });
    assert.equal(wrong.statusCode, 401);
    const missing = await app.inject({
      method: "POST",
      url: "/oauth/introspect",
      headers: { ...FORM, authorization: basic(service.id, service.secret) },
      payload: "",
    });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error, "invalid_request");
    for (const garbage of ["x", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "opaque-refresh-token"]) {
      assert.deepEqual(await introspect(garbage), { active: false });
    }
  });

  test("password and refresh grants; introspection and revocation of the user's tokens", async () => {
    const login = await token(
      { grant_type: "password", username: "ada@example.test", password: "correct horse battery" },
      { authorization: basic(webApp.id, webApp.secret) },
    );
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.deepEqual(Object.keys(login.body).sort(), [
      "access_token",
      "device_token",
      "expires_in",
      "refresh_token",
      "token_type",
    ]);
    const refreshed = await token(
      { grant_type: "refresh_token", refresh_token: String(login.body.refresh_token) },
      { authorization: basic(webApp.id, webApp.secret) },
    );
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const access = String(refreshed.body.access_token);

    const info = await introspect(access);
    assert.equal(info.active, true);
    assert.equal(info.client_id, webApp.id);
    assert.equal(info.iss, ISSUER);
    assert.equal(info.aud, ISSUER);
    assert.equal(info.token_type, "Bearer");
    for (const claim of ["sub", "jti", "sid"]) assert.equal(typeof info[claim], "string", claim);
    for (const claim of ["exp", "iat"]) assert.equal(typeof info[claim], "number", claim);

    const revoke = (tokenValue: string, as: { id: string; secret: string }, hint?: string) =>
      app.inject({
        method: "POST",
        url: "/oauth/revoke",
        headers: { ...FORM, authorization: basic(as.id, as.secret) },
        payload: form({ token: tokenValue, ...(hint ? { token_type_hint: hint } : {}) }),
      });
    const unauthenticated = await app.inject({
      method: "POST",
      url: "/oauth/revoke",
      headers: FORM,
      payload: form({ token: access }),
    });
    assert.equal(unauthenticated.statusCode, 401);
    // Another client cannot revoke it, and is not told so.
    assert.equal((await revoke(access, service)).statusCode, 200);
    assert.equal((await introspect(access)).active, true);
    // Unknown tokens are 200 too (RFC 7009 §2.2).
    assert.equal((await revoke("unknown-token", webApp, "refresh_token")).statusCode, 200);
    // The owner revokes: the session ends, the token is inactive at once.
    const revoked = await revoke(access, webApp, "access_token");
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.body, "");
    assert.equal(revoked.headers["cache-control"], "no-store");
    assert.deepEqual(await introspect(access), { active: false });
    // A refresh token is told apart by its form, whatever the hint; another client's revocation
    // does nothing; the owner's ends the session.
    const second = await token(
      { grant_type: "password", username: "ada@example.test", password: "correct horse battery" },
      { authorization: basic(webApp.id, webApp.secret) },
    );
    const rotated = await token(
      { grant_type: "refresh_token", refresh_token: String(second.body.refresh_token) },
      { authorization: basic(webApp.id, webApp.secret) },
    );
    const current = String(rotated.body.refresh_token);
    assert.equal((await revoke(current, reporting, "access_token")).statusCode, 200);
    assert.equal(
      (await introspect(String(rotated.body.access_token))).active,
      true,
      "another client's revocation did nothing",
    );
    assert.equal((await revoke(current, webApp, "access_token")).statusCode, 200);
    assert.equal(
      (await introspect(String(rotated.body.access_token))).active,
      false,
      "the owner's revocation ended the session",
    );
    assert.equal(await refreshWorks(current, webApp), false);
  });

  test("revocation by a public client: by client_id, only its own tokens; naming no client is 401", async () => {
    const spa = (
      await createClient(db, { name: "spa", grantTypes: ["password", "refresh_token"], confidential: false })
    ).client.id;
    const login = await token({
      grant_type: "password",
      client_id: spa,
      username: "ada@example.test",
      password: "correct horse battery",
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const access = String(login.body.access_token);
    assert.equal((await introspect(access)).client_id, spa);
    const revoke = (fields: Record<string, string>) =>
      app.inject({ method: "POST", url: "/oauth/revoke", headers: FORM, payload: form(fields) });

    // No client named: refused as RFC 7009 §2.2.1 invalid_client, the token untouched.
    const anonymous = await revoke({ token: access });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error, "invalid_client");
    // A confidential client cannot pass as public by leaving its secret out.
    assert.equal((await revoke({ token: access, client_id: webApp.id })).statusCode, 401);
    assert.equal((await introspect(access)).active, true);

    // Its access token ends the session at once.
    const revoked = await revoke({ token: access, client_id: spa, token_type_hint: "access_token" });
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.body, "");
    assert.deepEqual(await introspect(access), { active: false });
    // Its own refresh token of another session ends that session.
    const again = await token({
      grant_type: "password",
      client_id: spa,
      username: "ada@example.test",
      password: "correct horse battery",
    });
    assert.equal((await revoke({ token: String(again.body.refresh_token), client_id: spa })).statusCode, 200);
    assert.deepEqual(await introspect(String(again.body.access_token)), { active: false });
  });

  test("introspection: an expired token is inactive", async () => {
    const issued = await token(
      { grant_type: "client_credentials" },
      { authorization: basic(service.id, service.secret) },
    );
    const access = String(issued.body.access_token);
    assert.equal((await introspect(access)).active, true);
    assert.equal((await introspect(access)).aud, "https://billing.internal");
    clock += (config.accessTokenTtl + config.clockTolerance + 1) * 1000;
    try {
      assert.deepEqual(await introspect(access), { active: false });
    } finally {
      clock = Date.now();
    }
  });

  test("discovery documents (RFC 8414)", async () => {
    for (const url of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      const response = await app.inject({ method: "GET", url });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers["cache-control"], "public, max-age=300");
      assert.deepEqual(response.json(), {
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/oauth/authorize`,
        end_session_endpoint: `${ISSUER}/oauth/logout`,
        token_endpoint: `${ISSUER}/oauth/token`,
        jwks_uri: `${ISSUER}/.well-known/jwks.json`,
        userinfo_endpoint: `${ISSUER}/userinfo`,
        revocation_endpoint: `${ISSUER}/oauth/revoke`,
        introspection_endpoint: `${ISSUER}/oauth/introspect`,
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        response_types_supported: ["code"],
        response_modes_supported: ["query"],
        grant_types_supported: ["authorization_code", "password", "refresh_token", "client_credentials"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["EdDSA"],
        code_challenge_methods_supported: ["S256"],
        claims_supported: [
          "iss",
          "sub",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "nonce",
          "amr",
          "sid",
          "email",
          "email_verified",
        ],
        claims_parameter_supported: false,
        request_parameter_supported: false,
        request_uri_parameter_supported: false,
        authorization_response_iss_parameter_supported: true,
        prompt_values_supported: ["none", "login", "consent"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
        revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
        introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        sigil_access_token_signing_alg_values_supported: ["EdDSA"],
        sigil_revocation_feed_endpoint: `${ISSUER}/revocations/feed`,
      });
    }
  });

  test("discovery advertises only what works: no password grant unless turned on, no code flow without the hosted pages", () => {
    const base = { issuer: ISSUER, signingAlg: "EdDSA" as const, jwksMaxAge: 300 };
    const keysOnly = { jwks: () => ({ keys: [] }) } as unknown as Parameters<typeof buildMetadata>[0]["keys"];
    const metadata = (config: Partial<ServerConfig>) =>
      buildMetadata({ config: { ...server.config, ...base, ...config }, keys: keysOnly });
    const defaults = metadata({ passwordGrant: false, hostedPages: true });
    assert.deepEqual(defaults.grant_types_supported, ["authorization_code", "refresh_token", "client_credentials"]);
    const apiOnly = metadata({ passwordGrant: false, hostedPages: false });
    assert.deepEqual(apiOnly.grant_types_supported, ["refresh_token", "client_credentials"]);
    assert.deepEqual(apiOnly.response_types_supported, []);
    assert.equal(apiOnly.authorization_endpoint, undefined);
    assert.equal(apiOnly.end_session_endpoint, undefined);
    const hmac = metadata({ passwordGrant: false, hostedPages: true, signingAlg: "HS256" });
    assert.equal(hmac.authorization_endpoint, undefined, "no ID token anyone else could verify: no OpenID provider");
  });

  test("JWKS: public members only, cacheable, with an ETag that changes with the keys", async () => {
    const first = await app.inject({ method: "GET", url: "/.well-known/jwks.json" });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers["cache-control"], "public, max-age=300");
    assert.match(String(first.headers["content-type"]), /^application\/json/);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]{27}"$/);
    const { keys: published } = first.json() as { keys: Array<Record<string, unknown>> };
    assert.equal(published.length, 1);
    assert.deepEqual(Object.keys(published[0] ?? {}).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
    assert.equal(published[0]?.use, "sig");
    const again = await app.inject({
      method: "GET",
      url: "/.well-known/jwks.json",
      headers: { "if-none-match": etag },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");
    await keys.rotate();
    const rotated = await app.inject({
      method: "GET",
      url: "/.well-known/jwks.json",
      headers: { "if-none-match": etag },
    });
    assert.equal(rotated.statusCode, 200);
    assert.notEqual(rotated.headers.etag, etag);
    assert.equal((rotated.json() as { keys: unknown[] }).keys.length, 2);
    for (const key of (rotated.json() as { keys: Array<Record<string, unknown>> }).keys) {
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) assert.equal(key[member], undefined);
    }
  });
});
