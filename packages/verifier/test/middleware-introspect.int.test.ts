import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AccessTokenVerifier, createAccessTokenVerifier, createAuthenticator } from "../src/index.js";
import { createAuthCheck } from "../src/middleware/core.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { AUDIENCE, accessToken, createTestKey, type TestKey } from "./fixtures/tokens.js";

describe("middleware core: synchronous unless introspection is needed", () => {
  let server: FakeAuthServer;
  let key: TestKey;
  let verifier: AccessTokenVerifier;
  let clock = Date.now();
  const logs: string[] = [];

  before(async () => {
    server = await startFakeAuthServer();
    key = await createTestKey();
    server.keys = [key.jwk];
    verifier = createAccessTokenVerifier({
      issuer: server.issuer,
      audience: AUDIENCE,
      algorithms: ["EdDSA"],
      revocation: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        staleAfterMs: 30_000,
        onStale: "introspect",
        introspection: { cacheMs: 5000 },
      },
      now: () => clock,
      logger: { warn: (line) => logs.push(line) },
    });
    await verifier.ready();
  });
  after(async () => {
    verifier.close();
    await server.close();
  });

  test("fresh mirror: answers in the same tick, for valid, malformed and missing credentials", () => {
    const check = createAuthCheck(verifier, { logger: { warn: () => {} } });
    const ok = check({ authorization: `Bearer ${accessToken(key, server.issuer)}` });
    assert.ok(!(ok instanceof Promise) && ok.ok && ok.claims.sub === "user-1");
    const malformed = check({ authorization: "Bearer a,b" });
    assert.ok(!(malformed instanceof Promise) && !malformed.ok && malformed.rejection.status === 400);
    const forged = check({ authorization: `Bearer ${accessToken(key, server.issuer).slice(0, -4)}AAAA` });
    assert.ok(!(forged instanceof Promise) && !forged.ok && forged.rejection.status === 401);
    const missing = check({ authorization: undefined });
    assert.ok(!(missing instanceof Promise) && !missing.ok && missing.rejection.status === 401);
  });

  test("stale mirror under onStale introspect: the answer waits for the auth server", async () => {
    const check = createAuthCheck(verifier, { logger: { warn: () => {} } });
    const authenticate = createAuthenticator(verifier, { logger: { warn: () => {} } });
    const active = accessToken(key, server.issuer, { sub: "alice" });
    const inactive = accessToken(key, server.issuer);
    server.activeTokens.add(active);
    clock += 31_000;
    try {
      const pending = check({ authorization: `Bearer ${active}` });
      assert.ok(pending instanceof Promise, "introspection is asynchronous");
      const outcome = await pending;
      assert.ok(outcome.ok && outcome.claims.sub === "alice");
      const refused = await authenticate({ authorization: `Bearer ${inactive}` });
      assert.ok(!refused.ok && refused.rejection.status === 401);
      assert.ok(server.introspections >= 2);
    } finally {
      clock -= 31_000;
    }
  });
});
