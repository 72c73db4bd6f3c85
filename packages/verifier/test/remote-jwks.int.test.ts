import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createVerifier as createJWTVerifier, isJWTError } from "@sigil/jwt";
import { createRemoteJWKS, discoverIssuer, isVerifierError, type VerifierError } from "../src/index.js";
import { type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { AUDIENCE, accessToken, createTestKey, type TestKey, waitFor } from "./fixtures/tokens.js";

describe("remote JWKS", () => {
  let server: FakeAuthServer;
  let keyA: TestKey;
  let keyB: TestKey;

  before(async () => {
    server = await startFakeAuthServer();
    [keyA, keyB] = await Promise.all([createTestKey(), createTestKey()]);
  });
  after(() => server.close());

  function reset(): void {
    server.keys = [keyA.jwk];
    server.jwksMode = "ok";
    server.cacheControl = "public, max-age=300";
    server.jwksFetches = 0;
  }

  test("fetched at start, then served from cache: many finds, one fetch", async () => {
    reset();
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"] });
    try {
      assert.equal(jwks.loaded, false);
      await jwks.ready();
      assert.equal(jwks.version, 1);
      const verify = createJWTVerifier({
        algorithms: ["EdDSA"],
        keys: jwks,
        issuer: server.issuer,
        audience: AUDIENCE,
      });
      for (let i = 0; i < 50; i++) verify(accessToken(keyA, server.issuer));
      assert.equal(server.jwksFetches, 1);
      assert.equal(jwks.fetches, 1);
    } finally {
      jwks.close();
    }
  });

  test("a burst of random kids triggers at most one refetch per cool-down", async () => {
    reset();
    let now = 1_000_000;
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"], cooldownMs: 30_000, now: () => now });
    try {
      await jwks.ready();
      const verify = createJWTVerifier({
        algorithms: ["EdDSA"],
        keys: jwks,
        issuer: server.issuer,
        audience: AUDIENCE,
      });
      const forged = await createTestKey();
      now += 31_000;
      for (let i = 0; i < 1000; i++) {
        const token = accessToken(
          { ...forged, pair: { ...forged.pair, signing: { ...forged.pair.signing, kid: randomUUID() } } },
          server.issuer,
        );
        assert.throws(
          () => verify(token),
          (error) => isJWTError(error, "KEY_NOT_FOUND"),
        );
        if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor(() => server.jwksFetches === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(server.jwksFetches, 2, "one refetch for a burst of 1000 unknown kids");
      // Still within the cool-down: no more fetches.
      now += 10_000;
      for (let i = 0; i < 100; i++) jwks.find(randomUUID());
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(server.jwksFetches, 2);
      // After the cool-down: one more.
      now += 30_000;
      for (let i = 0; i < 100; i++) jwks.find(randomUUID());
      await waitFor(() => server.jwksFetches === 3);
      assert.equal(jwks.version, 1, "the key set did not change");
    } finally {
      jwks.close();
    }
  });

  test("key rotation: a token with a new kid fails once, then the refetched key verifies it", async () => {
    reset();
    let now = 1_000_000;
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"], cooldownMs: 30_000, now: () => now });
    try {
      await jwks.ready();
      const verify = createJWTVerifier({
        algorithms: ["EdDSA"],
        keys: jwks,
        issuer: server.issuer,
        audience: AUDIENCE,
      });
      const old = accessToken(keyA, server.issuer);
      verify(old);
      server.keys = [keyA.jwk, keyB.jwk];
      now += 30_000;
      const rotated = accessToken(keyB, server.issuer);
      assert.throws(
        () => verify(rotated),
        (error) => isJWTError(error, "KEY_NOT_FOUND"),
      );
      await waitFor(() => jwks.version === 2);
      assert.equal(verify(rotated).payload.sub, "user-1");
      assert.equal(verify(old).payload.sub, "user-1");
    } finally {
      jwks.close();
    }
  });

  test("auth server down or answering garbage: the last good keys keep working, errors are reported", async () => {
    reset();
    let now = 1_000_000;
    const errors: VerifierError[] = [];
    const jwks = createRemoteJWKS(server.jwksUri, {
      algorithms: ["EdDSA"],
      cooldownMs: 0,
      now: () => now,
      onError: (error) => errors.push(error),
    });
    try {
      await jwks.ready();
      const verify = createJWTVerifier({
        algorithms: ["EdDSA"],
        keys: jwks,
        issuer: server.issuer,
        audience: AUDIENCE,
      });
      for (const mode of ["down", "garbage", "empty"] as const) {
        server.jwksMode = mode;
        now += 1000;
        await assert.rejects(jwks.refresh(), (error) => isVerifierError(error));
        assert.equal(verify(accessToken(keyA, server.issuer)).payload.sub, "user-1", mode);
      }
      assert.deepEqual(
        errors.map((e) => e.code),
        ["JWKS_UNAVAILABLE", "JWKS_UNAVAILABLE", "JWKS_INVALID"],
      );
      assert.equal(jwks.version, 1);
      // And the whole server gone:
      const closed = await startFakeAuthServer();
      await closed.close();
      const unreachable = createRemoteJWKS(closed.jwksUri, { algorithms: ["EdDSA"], timeoutMs: 500 });
      await assert.rejects(unreachable.ready(), (error) => isVerifierError(error, "JWKS_UNAVAILABLE"));
      unreachable.close();
    } finally {
      jwks.close();
    }
  });

  test("a server that sends headers and then stalls is timed out, body included", async () => {
    reset();
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"], timeoutMs: 200, cooldownMs: 0 });
    try {
      await jwks.ready();
      server.jwksMode = "stall";
      const started = Date.now();
      await assert.rejects(jwks.refresh(), (error) => isVerifierError(error, "JWKS_UNAVAILABLE"));
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
      assert.equal(jwks.version, 1);
    } finally {
      jwks.close();
      server.jwksMode = "ok";
    }
  });

  test("Cache-Control max-age drives the background refresh, bounded by minRefreshMs", async () => {
    reset();
    server.cacheControl = "max-age=0";
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"], minRefreshMs: 40, cooldownMs: 0 });
    try {
      await jwks.ready();
      server.keys = [keyB.jwk];
      await waitFor(() => jwks.version === 2, 2000);
      assert.ok(server.jwksFetches >= 2);
      const before = server.jwksFetches;
      await new Promise((resolve) => setTimeout(resolve, 100));
      // 40 ms minimum: at most a handful of fetches in 100 ms, never a busy loop.
      assert.ok(server.jwksFetches - before <= 4, `${server.jwksFetches - before} fetches in 100 ms`);
    } finally {
      jwks.close();
    }
  });

  test("version increments only when the keys change", async () => {
    reset();
    const jwks = createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"] });
    try {
      await jwks.ready();
      await jwks.refresh();
      await jwks.refresh();
      assert.equal(jwks.version, 1);
      server.keys = [keyA.jwk, keyB.jwk];
      await jwks.refresh();
      assert.equal(jwks.version, 2);
      server.keys = [keyB.jwk, keyA.jwk];
      await jwks.refresh();
      assert.equal(jwks.version, 2, "order does not matter");
    } finally {
      jwks.close();
    }
  });

  test("options are validated once", () => {
    assert.throws(
      () => createRemoteJWKS(server.jwksUri, { algorithms: [] }),
      (error) => isJWTError(error, "OPTIONS_INVALID"),
    );
    assert.throws(
      () => createRemoteJWKS(server.jwksUri, { algorithms: ["EdDSA"], cooldownMs: -1 }),
      (error) => isJWTError(error, "OPTIONS_INVALID"),
    );
  });
});

describe("issuer discovery (RFC 8414)", () => {
  test("reads jwks_uri, introspection and feed endpoints from the metadata", async () => {
    const server = await startFakeAuthServer();
    try {
      const metadata = await discoverIssuer(server.issuer);
      assert.deepEqual(metadata, {
        issuer: server.issuer,
        jwks_uri: server.jwksUri,
        introspection_endpoint: server.introspectionUrl,
        sigil_revocation_feed_endpoint: server.feedUrl,
      });
      assert.deepEqual(server.metadataFetches, ["/.well-known/oauth-authorization-server"]);
    } finally {
      await server.close();
    }
  });

  test("an issuer with a path: the RFC 8414 §3.1 location first", async () => {
    const server = await startFakeAuthServer({ path: "/tenant-a" });
    try {
      const metadata = await discoverIssuer(server.issuer);
      assert.equal(metadata.jwks_uri, server.jwksUri);
      assert.deepEqual(server.metadataFetches, ["/.well-known/oauth-authorization-server/tenant-a"]);
    } finally {
      await server.close();
    }
  });

  test("the metadata's issuer must equal the configured one exactly (RFC 8414 §3.3)", async () => {
    const server = await startFakeAuthServer();
    try {
      for (const wrong of [
        `${server.issuer}/`,
        server.issuer.replace("127.0.0.1", "localhost"),
        "https://evil.example",
      ]) {
        server.metadataIssuer = wrong;
        await assert.rejects(discoverIssuer(server.issuer), (error) => isVerifierError(error, "DISCOVERY_FAILED"));
      }
    } finally {
      await server.close();
    }
  });
});
