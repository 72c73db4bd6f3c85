// Key rotation under traffic never rejects a valid token: the issuer publishes the new key at
// least one JWKS max-age before it signs with it, and the verifier refreshes within max-age.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccessTokenVerifier } from "../src/index.js";
import { authServerWithTwoKeys } from "./fixtures/auth-server-with-two-keys.js";
import { accessToken } from "./fixtures/tokens.js";

const fixture = authServerWithTwoKeys();

test("rotation under load: no valid token is rejected, and the JWKS is fetched a handful of times", async () => {
  const { server, keyA, keyB } = fixture;
  server.keys = [keyA.jwk];
  server.cacheControl = "public, max-age=1";
  const verifier = createAccessTokenVerifier({
    issuer: server.issuer,
    audience: "https://api.example.test",
    algorithms: ["EdDSA"],
    jwksUri: server.jwksUri,
    jwks: { minRefreshMs: 100 },
    revocation: false,
  });
  try {
    await verifier.ready();
    let signer = keyA;
    const started = Date.now();
    let verified = 0;
    const rejected: string[] = [];
    let published = false;
    // ~2 s of traffic: publish B at 100 ms, sign with B from 100 ms + max-age (1 s) + 200 ms margin.
    while (Date.now() - started < 2000) {
      const elapsed = Date.now() - started;
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
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    assert.deepEqual(rejected, []);
    assert.ok(verified > 1000, `${verified} tokens verified`);
    assert.equal(signer, keyB);
    assert.equal(verifier.stats().jwksVersion, 2);
    assert.ok(verifier.stats().jwksFetches <= 4, `${verifier.stats().jwksFetches} fetches`);
  } finally {
    verifier.close();
  }
});
