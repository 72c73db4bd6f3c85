// Off-the-shelf verifiers accept Sigil access tokens with no glue: jose's createRemoteJWKSet +
// jwtVerify, and express-jwt + jwks-rsa, both against a JWKS served like the auth server's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { exportJWK, generateKeyPair, type KeyPair, signJWT } from "@sigil/jwt";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { startExpressJwtApi } from "./fixtures/express-jwt-api.js";
import { type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { get } from "./fixtures/http-client.js";
import { AUDIENCE } from "./fixtures/tokens.js";

describe("interop: third-party verifiers against the JWKS", () => {
  let server: FakeAuthServer;
  const pairs: KeyPair[] = [];

  before(async () => {
    server = await startFakeAuthServer();
    pairs.push(await generateKeyPair("EdDSA"), await generateKeyPair("ES256"), await generateKeyPair("RS256"));
    server.keys = pairs.map((pair) => exportJWK(pair.publicKey, { alg: pair.alg, kid: pair.kid }));
  });
  after(() => server.close());

  const sign = (pair: KeyPair, claims: Record<string, unknown> = {}): string =>
    signJWT(
      { iss: server.issuer, sub: "user-7", aud: AUDIENCE, client_id: "web", sid: "s-1", scope: "read", ...claims },
      pair.signing,
      { expiresIn: 900, typ: "at+jwt" },
    );

  test("the published JWKS holds public members only, each key with kid, kty, alg and use", () => {
    for (const jwk of server.keys) {
      assert.ok(jwk.kid && jwk.kty && jwk.alg);
      assert.equal(jwk.use, "sig");
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) assert.equal(jwk[secret], undefined);
    }
  });

  test("jose createRemoteJWKSet + jwtVerify accept every algorithm and check typ at+jwt", async () => {
    const jwks = createRemoteJWKSet(new URL(server.jwksUri));
    for (const pair of pairs) {
      const { payload, protectedHeader } = await jwtVerify(sign(pair), jwks, {
        issuer: server.issuer,
        audience: AUDIENCE,
        typ: "at+jwt",
        algorithms: [pair.alg],
      });
      assert.equal(payload.sub, "user-7");
      assert.equal(protectedHeader.kid, pair.kid);
    }
    await assert.rejects(jwtVerify(sign(pairs[0]!, { aud: "other" }), jwks, { audience: AUDIENCE }));
  });

  test("express-jwt + jwks-rsa accept ES256 and RS256 tokens and refuse tampered ones", async () => {
    const api = await startExpressJwtApi({
      jwksUri: server.jwksUri,
      algorithms: ["ES256", "RS256"],
      issuer: server.issuer,
      audience: AUDIENCE,
      respond: (auth) => ({ sub: auth?.sub }),
    });
    try {
      for (const pair of pairs.filter((p) => p.alg !== "EdDSA")) {
        const res = await get(api.url, { authorization: `Bearer ${sign(pair)}` });
        assert.equal(res.status, 200, `${pair.alg}: ${res.body}`);
        assert.deepEqual(JSON.parse(res.body), { sub: "user-7" });
        const tampered = sign(pair).replace(/\.([^.]+)\./, (_m, payload: string) => `.${payload.slice(0, -2)}AA.`);
        assert.equal((await get(api.url, { authorization: `Bearer ${tampered}` })).status, 401);
      }
    } finally {
      await api.close();
    }
  });
});
