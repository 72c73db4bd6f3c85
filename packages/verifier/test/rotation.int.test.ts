// Key rotation under traffic never rejects a valid token: the issuer publishes the new key at
// least one JWKS max-age before it signs with it, and the verifier refreshes within max-age.
// Two seconds of traffic on fake time: every 10 ms step fires the verifier's timers that fall due,
// waits for the requests they started (the network answers within the step), then verifies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccessTokenVerifier } from "../src/index.js";
import { authServerWithTwoKeys } from "./fixtures/auth-server-with-two-keys.js";
import { probeFetch } from "./fixtures/changes.js";
import { FakeTime } from "./fixtures/fake-time.js";
import { accessToken } from "./fixtures/tokens.js";

const fixture = authServerWithTwoKeys();

test("rotation under load: no valid token is rejected, and the JWKS is fetched a handful of times", async () => {
  const { server, keyA, keyB } = fixture;
  server.keys = [keyA.jwk];
  server.cacheControl = "public, max-age=1";
  const time = new FakeTime(Date.now());
  const probe = probeFetch();
  const verifier = createAccessTokenVerifier({
    issuer: server.issuer,
    audience: "https://api.example.test",
    algorithms: ["EdDSA"],
    jwksUri: server.jwksUri,
    jwks: { minRefreshMs: 100 },
    revocation: false,
    fetch: probe.fetch,
    now: time.clock,
    timers: time.timers,
  });
  try {
    await verifier.ready();
    const started = time.now;
    let signer = keyA;
    let verified = 0;
    const rejected: string[] = [];
    let published = false;
    // 2 s of traffic: publish B at 100 ms, sign with B from 100 ms + max-age (1 s) + 200 ms margin.
    while (time.now - started < 2000) {
      const elapsed = time.now - started;
      if (!published && elapsed >= 100) {
        server.keys = [keyA.jwk, keyB.jwk];
        published = true;
      }
      if (elapsed >= 1300) signer = keyB;
      for (let i = 0; i < 20; i++) {
        try {
          verifier.verify(accessToken(signer, server.issuer));
          verified++;
        } catch (error) {
          rejected.push((error as { code: string }).code);
        }
      }
      await time.advance(10);
      await probe.idle();
    }
    assert.deepEqual(rejected, []);
    assert.equal(verified, 4000);
    assert.equal(signer, keyB);
    assert.equal(verifier.stats().jwksVersion, 2);
    assert.ok(verifier.stats().jwksFetches <= 4, `${verifier.stats().jwksFetches} fetches`);
  } finally {
    verifier.close();
  }
});
