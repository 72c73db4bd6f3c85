import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, type TestContext, test } from "node:test";
import { createVerifier as createJWTVerifier, isJWTError, type Verifier as JWTVerifier } from "@sigil/jwt";
import {
  createRemoteJWKS,
  discoverIssuer,
  isVerifierError,
  type RemoteJWKS,
  type RemoteJWKSOptions,
  type VerifierError,
} from "../src/index.js";
import { type AuthServerWithTwoKeys, authServerWithTwoKeys } from "./fixtures/auth-server-with-two-keys.js";
import { type FetchProbe, probeFetch } from "./fixtures/changes.js";
import { startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { FakeTime } from "./fixtures/fake-time.js";
import { AUDIENCE, accessToken, createTestKey } from "./fixtures/tokens.js";

describe("remote JWKS", () => {
  const fixture = authServerWithTwoKeys();

  /** Puts the shared server back to its defaults (key A only, answering, max-age 300 s, no fetches counted) and returns it. */
  function reset(): AuthServerWithTwoKeys {
    const { server, keyA } = fixture;
    server.keys = [keyA.jwk];
    server.jwksMode = "ok";
    server.cacheControl = "public, max-age=300";
    server.jwksFetches = 0;
    return fixture;
  }

  /**
   * An EdDSA remote JWKS over the shared server (not loaded yet), on fake time and a probed
   * fetch, closed when test `t` ends.
   */
  function openJWKS(
    t: TestContext,
    options: Omit<RemoteJWKSOptions, "algorithms"> = {},
  ): { jwks: RemoteJWKS; time: FakeTime; probe: FetchProbe } {
    const time = new FakeTime(1_000_000);
    const probe = probeFetch();
    const jwks = createRemoteJWKS(fixture.server.jwksUri, {
      algorithms: ["EdDSA"],
      fetch: probe.fetch,
      now: time.clock,
      timers: time.timers,
      ...options,
    });
    t.after(() => jwks.close());
    return { jwks, time, probe };
  }

  /** A @sigil/jwt verifier that takes its keys from `jwks`, for the shared server's access tokens. */
  function verifierOver(jwks: RemoteJWKS): JWTVerifier {
    return createJWTVerifier({ algorithms: ["EdDSA"], keys: jwks, issuer: fixture.server.issuer, audience: AUDIENCE });
  }

  test("fetched at start, then served from cache: many finds, one fetch", async (t) => {
    const { server, keyA } = reset();
    const { jwks } = openJWKS(t);
    assert.equal(jwks.loaded, false);
    await jwks.ready();
    assert.equal(jwks.version, 1);
    const verify = verifierOver(jwks);
    for (let i = 0; i < 50; i++) verify(accessToken(keyA, server.issuer));
    assert.equal(server.jwksFetches, 1);
    assert.equal(jwks.fetches, 1);
  });

  test("a burst of random kids triggers at most one refetch per cool-down", async (t) => {
    const { server } = reset();
    const { jwks, time, probe } = openJWKS(t, { cooldownMs: 30_000 });
    await jwks.ready();
    const verify = verifierOver(jwks);
    const forged = await createTestKey();
    time.now += 31_000;
    for (let i = 0; i < 1000; i++) {
      const token = accessToken(
        { ...forged, pair: { ...forged.pair, signing: { ...forged.pair.signing, kid: randomUUID() } } },
        server.issuer,
      );
      assert.throws(
        () => verify(token),
        (error) => isJWTError(error, "KEY_NOT_FOUND"),
      );
      // The refetch ends during the burst: the kids after it meet the cool-down, not the fetch in flight.
      if (i === 100) await probe.idle();
    }
    // A refetch is started synchronously by find(): counting requests needs no waiting.
    assert.equal(probe.calls, 2, "one refetch for a burst of 1000 unknown kids");
    await probe.idle();
    assert.equal(server.jwksFetches, 2);
    // Still within the cool-down: no more fetches.
    time.now += 10_000;
    for (let i = 0; i < 100; i++) jwks.find(randomUUID());
    assert.equal(probe.calls, 2);
    // After the cool-down: one more.
    time.now += 30_000;
    for (let i = 0; i < 100; i++) jwks.find(randomUUID());
    assert.equal(probe.calls, 3);
    await probe.idle();
    assert.equal(server.jwksFetches, 3);
    assert.equal(jwks.version, 1, "the key set did not change");
  });

  test("key rotation: a token with a new kid fails once, then the refetched key verifies it", async (t) => {
    const { server, keyA, keyB } = reset();
    const { jwks, time, probe } = openJWKS(t, { cooldownMs: 30_000 });
    await jwks.ready();
    const verify = verifierOver(jwks);
    const old = accessToken(keyA, server.issuer);
    verify(old);
    server.keys = [keyA.jwk, keyB.jwk];
    time.now += 30_000;
    const rotated = accessToken(keyB, server.issuer);
    assert.throws(
      () => verify(rotated),
      (error) => isJWTError(error, "KEY_NOT_FOUND"),
    );
    await probe.until(() => jwks.version === 2, "the refetched key set installed");
    assert.equal(verify(rotated).payload.sub, "user-1");
    assert.equal(verify(old).payload.sub, "user-1");
  });

  test("auth server down or answering garbage: the last good keys keep working, errors are reported", async (t) => {
    const { server, keyA } = reset();
    const errors: VerifierError[] = [];
    const { jwks, time } = openJWKS(t, { cooldownMs: 0, onError: (error) => errors.push(error) });
    await jwks.ready();
    const verify = verifierOver(jwks);
    for (const mode of ["down", "garbage", "empty"] as const) {
      server.jwksMode = mode;
      time.now += 1000;
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
  });

  test("a server that sends headers and then stalls is timed out, body included", async (t) => {
    const { server } = reset();
    const { jwks, time, probe } = openJWKS(t, { timeoutMs: 200, cooldownMs: 0 });
    t.after(() => {
      server.jwksMode = "ok";
    });
    await jwks.ready();
    server.jwksMode = "stall";
    const chunksBefore = probe.chunks;
    const refreshed = jwks.refresh();
    let settled = false;
    refreshed.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // The headers and the first bytes of the body have arrived; the rest never will.
    await probe.until(() => probe.chunks > chunksBefore, "the stalled body's first bytes");
    await time.advance(199);
    assert.equal(settled, false, "still waiting before the timeout");
    await time.advance(1);
    await assert.rejects(refreshed, (error) => isVerifierError(error, "JWKS_UNAVAILABLE"));
    assert.equal(jwks.version, 1);
  });

  test("Cache-Control max-age drives the background refresh, bounded by minRefreshMs", async (t) => {
    const { server, keyB } = reset();
    server.cacheControl = "max-age=0";
    const { jwks, time, probe } = openJWKS(t, { minRefreshMs: 40, cooldownMs: 0 });
    await jwks.ready();
    server.keys = [keyB.jwk];
    // max-age=0 would mean "refresh at once": the refresh waits minRefreshMs instead, every time.
    for (const version of [2, 2, 2]) {
      await time.until(() => time.pendingDelays().join() === "40", "the next refresh armed, and nothing else");
      const calls = probe.calls;
      await time.advance(39);
      assert.equal(probe.calls, calls, "no refresh before minRefreshMs");
      await time.advance(1);
      assert.equal(probe.calls, calls + 1, "one refresh at minRefreshMs");
      await probe.idle();
      assert.equal(jwks.version, version);
    }
    assert.equal(server.jwksFetches, 4);
  });

  test("version increments only when the keys change", async (t) => {
    const { server, keyA, keyB } = reset();
    const { jwks } = openJWKS(t);
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
  });

  test("options are validated once", () => {
    const { server } = fixture;
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
