import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { isJWTError } from "@sigil/jwt";
import {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  isVerifierError,
} from "../src/index.js";
import { type FetchProbe, probeFetch } from "./fixtures/changes.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { FakeTime } from "./fixtures/fake-time.js";
import { AUDIENCE, accessToken, createTestKey, type TestKey } from "./fixtures/tokens.js";

// On fake time (the clock and every timer of the verifier), with a probed fetch: each wait is for
// what the verifier received, and the staleness bound is crossed by moving the clock.
describe("createAccessTokenVerifier: keys, revocation and the staleness policy", () => {
  let server: FakeAuthServer;
  let key: TestKey;
  let time: FakeTime;
  let probe: FetchProbe;
  const logs: string[] = [];
  const verifiers: AccessTokenVerifier[] = [];

  before(async () => {
    server = await startFakeAuthServer();
    key = await createTestKey();
  });
  beforeEach(() => {
    time = new FakeTime(Date.now());
    probe = probeFetch();
    logs.length = 0;
    server.keys = [key.jwk];
    server.jwksMode = "ok";
    server.feedMode = "ok";
    server.heartbeats = true;
    server.revocations = [];
    server.oldestResumable = 0;
    server.introspections = 0;
    server.introspectionMode = "ok";
    server.activeTokens.clear();
    server.dropFeedConnections();
  });
  afterEach(() => {
    for (const verifier of verifiers.splice(0)) verifier.close();
  });
  after(() => server.close());

  function make(overrides: Partial<AccessTokenVerifierOptions> = {}): AccessTokenVerifier {
    const verifier = createAccessTokenVerifier({
      issuer: server.issuer,
      audience: AUDIENCE,
      algorithms: ["EdDSA"],
      revocation: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, staleAfterMs: 30_000 },
      fetch: probe.fetch,
      now: time.clock,
      timers: time.timers,
      logger: { warn: (line) => logs.push(line) },
      ...overrides,
    });
    verifiers.push(verifier);
    return verifier;
  }

  /**
   * Fires the pending timers one at a time (the monitor, a retry, a refresh), each followed by the
   * answers to the requests it started, until `condition` holds.
   */
  async function fireTimersUntil(condition: () => boolean, what: string): Promise<void> {
    for (let step = 0; step < 100 && !condition(); step++) {
      await time.advanceToNext();
      await probe.until(
        () => condition() || probe.calls === probe.finished,
        `the requests of a timer, on the way to ${what}`,
      );
    }
    assert.ok(condition(), what);
  }

  const code = (expected: string) => (error: unknown) =>
    (isVerifierError(error) || isJWTError(error)) && error.code === expected;

  test("discovers everything from the issuer, verifies, and refuses a revoked session at once", async () => {
    const verifier = make();
    await verifier.ready();
    const token = accessToken(key, server.issuer, { sid: "session-1" });
    const other = accessToken(key, server.issuer, { sid: "session-2" });
    assert.equal(verifier.verify(token).payload.sid, "session-1");
    assert.equal(verifier.verify(token).payload.sid, "session-1", "served from the verified-token cache");
    server.revoke({ kind: "session", sid: "session-1", exp: Math.floor(Date.now() / 1000) + 900 });
    await probe.until(() => verifier.stats().revokedSessions === 1, "the revocation applied");
    assert.throws(
      () => verifier.verify(token),
      (error) => isVerifierError(error, "TOKEN_REVOKED") && error.details.revocation === "session",
    );
    await assert.rejects(verifier.verifyAsync(token), code("TOKEN_REVOKED"));
    assert.equal(verifier.verify(other).payload.sid, "session-2");
  });

  test("a user cut-off voids the user's older tokens, not newer ones", async () => {
    const verifier = make();
    await verifier.ready();
    const nowS = Math.floor(Date.now() / 1000);
    const old = accessToken(key, server.issuer, { sub: "u42", iat: nowS - 10 });
    const fresh = accessToken(key, server.issuer, { sub: "u42", iat: nowS });
    server.revoke({ kind: "user_before", sub: "u42", before: nowS, exp: nowS + 900 });
    await probe.until(() => verifier.stats().revokedUsers === 1, "the cut-off applied");
    assert.throws(
      () => verifier.verify(old),
      (error) => isVerifierError(error, "TOKEN_REVOKED") && error.details.revocation === "user",
    );
    assert.equal(verifier.verify(fresh).payload.sub, "u42");
  });

  test("fail-closed: before the first snapshot and once the feed is silent past staleAfterMs, every token is refused", async () => {
    server.feedMode = "down";
    const verifier = make({
      jwksUri: server.jwksUri,
      revocation: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, feedUrl: server.feedUrl },
    });
    await assert.rejects(verifier.ready(), code("FEED_UNAVAILABLE"));
    const token = accessToken(key, server.issuer);
    await probe.until(() => verifier.stats().jwksVersion === 1, "the keys loaded");
    assert.throws(() => verifier.verify(token), code("REVOCATION_STALE"));
    server.feedMode = "ok";
    await fireTimersUntil(() => verifier.stats().mirrorFresh, "a snapshot on the feed client's next attempt");
    assert.equal(verifier.verify(token).payload.sub, "user-1");

    time.now += 30_001;
    assert.throws(() => verifier.verify(token), code("REVOCATION_STALE"));
    await assert.rejects(verifier.verifyAsync(token), code("REVOCATION_STALE"));
    const stats = verifier.stats();
    assert.equal(stats.mirrorFresh, false);
    assert.ok((stats.lastHeardAgoMs ?? 0) > 30_000);
    assert.ok((stats.rejectionsByCode["REVOCATION_STALE"] ?? 0) >= 3);
    // Logged once per transition, and the log names the policy; no token in any line.
    assert.equal(logs.filter((line) => line.includes("STALE")).length, 1);
    assert.match(logs.find((line) => line.includes("STALE")) ?? "", /fail-closed/);
    assert.ok(!logs.some((line) => line.includes(token.split(".")[2] ?? "")));

    server.heartbeat();
    await probe.until(() => verifier.stats().mirrorFresh, "the heartbeat heard");
    assert.equal(verifier.verify(token).payload.sub, "user-1");
    assert.equal(logs.filter((line) => line.includes("fresh again")).length, 1);
  });

  test("the staleness monitor logs a transition with no request to notice it, once, and the return too", async () => {
    const verifier = make({
      jwksUri: server.jwksUri,
      revocation: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, feedUrl: server.feedUrl, staleAfterMs: 5000 },
    });
    await verifier.ready();
    const stale = (): string[] => logs.filter((line) => line.includes("STALE"));
    // The feed falls silent; its watchdog (staleAfterMs / 2 of silence) drops the connection, and
    // the server refuses the new ones, so the mirror goes stale.
    server.feedMode = "down";
    await time.advance(5000);
    assert.equal(stale().length, 0, "fresh up to the bound");
    await time.advance(1000);
    assert.equal(stale().length, 1, "logged by the monitor within its 1 s period, no verify() called");
    assert.match(stale()[0] ?? "", /no feed event for 6000 ms, bound 5000 ms/);
    await time.advance(10_000);
    assert.equal(stale().length, 1, "logged once per transition");
    server.feedMode = "ok";
    server.oldestResumable = 1000; // the next connection gets a snapshot at once, not an empty resume
    await fireTimersUntil(() => verifier.stats().mirrorFresh, "a snapshot on a new connection");
    assert.equal(logs.filter((line) => line.includes("fresh again")).length, 1);
  });

  test("introspect: while stale, verifyAsync asks the introspection endpoint (cached briefly), verify() refuses", async () => {
    const verifier = make({
      revocation: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        onStale: "introspect",
        introspection: { cacheMs: 5000 },
      },
    });
    await verifier.ready();
    const active = accessToken(key, server.issuer);
    const inactive = accessToken(key, server.issuer);
    server.activeTokens.add(active);
    time.now += 31_000;
    assert.throws(
      () => verifier.verify(active),
      (error) => isVerifierError(error, "REVOCATION_STALE") && error.details.introspectable === true,
    );
    assert.equal((await verifier.verifyAsync(active)).payload.sub, "user-1");
    assert.equal((await verifier.verifyAsync(active)).payload.sub, "user-1");
    assert.equal(server.introspections, 1, "the answer is cached for cacheMs");
    await assert.rejects(verifier.verifyAsync(inactive), code("TOKEN_INACTIVE"));
    assert.ok(
      logs.some((line) => line.includes("STALE") && line.includes("introspection")),
      logs.join("\n"),
    );
    assert.equal(verifier.stats().introspections, 3);

    server.introspectionMode = "down";
    await assert.rejects(verifier.verifyAsync(accessToken(key, server.issuer)), code("INTROSPECTION_FAILED"));

    // A revocation the stale mirror already knows is refused without asking.
    const known = accessToken(key, server.issuer, { sid: "known" });
    server.revoke({ kind: "session", sid: "known", exp: Math.floor(Date.now() / 1000) + 900 });
    await probe.until(() => verifier.stats().revokedSessions === 1, "the revocation applied");
    time.now += 31_000;
    server.introspectionMode = "ok";
    server.activeTokens.add(known);
    await assert.rejects(verifier.verifyAsync(known), code("TOKEN_REVOKED"));
  });

  test("auth server down at start: ready() rejects, the verifier recovers on its own, ready() then resolves", async () => {
    server.metadataMode = "down";
    try {
      const verifier = make();
      await assert.rejects(verifier.ready(), code("DISCOVERY_FAILED"));
      server.metadataMode = "ok";
      await time.until(() => time.pendingDelays().includes(1000), "the discovery retry armed");
      await time.advance(1000);
      await probe.until(
        () => verifier.stats().mirrorFresh && verifier.stats().jwksVersion === 1,
        "keys and a snapshot after the retry",
      );
      await verifier.ready();
      assert.equal(verifier.verify(accessToken(key, server.issuer)).payload.sub, "user-1");
    } finally {
      server.metadataMode = "ok";
    }
  });

  test("keys not loaded yet: JWKS_UNAVAILABLE rather than KEY_NOT_FOUND; static keys and revocation: false work", async () => {
    server.jwksMode = "down";
    const verifier = make({ revocation: false, jwksUri: server.jwksUri });
    await assert.rejects(verifier.ready(), code("JWKS_UNAVAILABLE"));
    assert.throws(() => verifier.verify(accessToken(key, server.issuer)), code("JWKS_UNAVAILABLE"));
    assert.equal(verifier.stats().rejectionsByCode["JWKS_UNAVAILABLE"], 1);

    const fixed = make({ revocation: false, keys: [key.pair.verification] });
    await fixed.ready();
    assert.equal(fixed.verify(accessToken(key, server.issuer)).payload.sub, "user-1");
  });

  test("token checks of @sigil/jwt apply: typ at+jwt, audience, issuer, RFC 9068 claims", async () => {
    const verifier = make({ revocation: false, keys: [key.pair.verification] });
    assert.throws(() => verifier.verify(accessToken(key, server.issuer, { aud: "other" })), code("CLAIM_MISMATCH"));
    assert.throws(() => verifier.verify(accessToken(key, "https://evil.example")), code("CLAIM_MISMATCH"));
    assert.throws(
      () => verifier.verify(accessToken(key, server.issuer, { client_id: undefined })),
      code("CLAIM_MISSING"),
    );
    assert.throws(() => verifier.verify("not-a-token"), code("MALFORMED"));
  });

  test("options are checked once, naming the option", () => {
    const base = { issuer: server.issuer, audience: AUDIENCE, algorithms: ["EdDSA"] as const };
    assert.throws(
      () => createAccessTokenVerifier({ ...base, revocation: undefined as unknown as false }),
      (error) => isJWTError(error, "OPTIONS_INVALID") && error.details.option === "revocation",
    );
    assert.throws(
      () => createAccessTokenVerifier({ ...base, revocation: { clientId: "x", clientSecret: "" } }),
      (error) => isJWTError(error, "OPTIONS_INVALID") && error.details.option === "revocation.clientSecret",
    );
    assert.throws(
      () =>
        createAccessTokenVerifier({
          ...base,
          revocation: { clientId: "x", clientSecret: "s", onStale: "accept" as "introspect" },
        }),
      (error) => isJWTError(error, "OPTIONS_INVALID") && error.details.option === "revocation.onStale",
    );
    assert.throws(
      () => createAccessTokenVerifier({ ...base, issuer: "http://auth.example.com", revocation: false }),
      (error) => isJWTError(error, "OPTIONS_INVALID") && error.details.option === "issuer",
    );
    assert.throws(
      () =>
        createAccessTokenVerifier({
          ...base,
          jwksUri: server.jwksUri,
          keys: [key.pair.verification],
          revocation: false,
        }),
      (error) => isJWTError(error, "OPTIONS_INVALID"),
    );
  });
});
