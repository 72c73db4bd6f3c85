// Off-the-shelf verifiers accept access tokens from the REAL auth server (startServer, /auth/login)
// with no glue: jose's createRemoteJWKSet + jwtVerify with the jwks_uri found through RFC 8414
// discovery, and express-jwt + jwks-rsa in an Express 5 app over real HTTP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, startTestServer, type TestServer } from "@sigil/server/testing";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import jwksRsa from "jwks-rsa";
import { type ExpressJwtApi, startExpressJwtApi } from "./fixtures/express-jwt-api.js";
import { get } from "./fixtures/http-client.js";

/** Flips one character of the payload segment: a signature over other bytes. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const flipped = payload.slice(0, 10) + (payload[10] === "A" ? "B" : "A") + payload.slice(11);
  return `${header}.${flipped}.${signature}`;
}

describe("interop: jose against the real server (EdDSA, the default)", () => {
  let sigil: TestServer;
  before(async () => {
    sigil = await startTestServer({ env: { SIGIL_AUDIENCE: "https://api.example.test" } });
  });
  after(() => sigil.close());

  test("createRemoteJWKSet(jwks_uri from discovery) + jwtVerify accept a token from /auth/login", async () => {
    const metadata = await call(sigil, "GET", "/.well-known/oauth-authorization-server");
    assert.equal(metadata.status, 200);
    assert.equal(metadata.body.issuer, sigil.issuer);
    const jwks = createRemoteJWKSet(new URL(metadata.body.jwks_uri));
    const user = await signIn(sigil);
    const options = { issuer: sigil.issuer, audience: sigil.audience, typ: "at+jwt", algorithms: ["EdDSA"] };

    const { payload, protectedHeader } = await jwtVerify(user.access, jwks, options);
    assert.equal(payload.sub, user.userId);
    assert.equal(protectedHeader.alg, "EdDSA");
    assert.equal(protectedHeader.typ, "at+jwt");
    const published = await call(sigil, "GET", "/.well-known/jwks.json");
    const kids = (published.body.keys as Array<{ kid: string }>).map((key) => key.kid);
    assert.ok(kids.includes(protectedHeader.kid ?? ""), "the token's kid is in the published JWKS");

    // The same verifier still refuses what it must: another audience, another issuer, altered bytes.
    await assert.rejects(jwtVerify(user.access, jwks, { ...options, audience: "https://other.example" }), {
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
    await assert.rejects(jwtVerify(user.access, jwks, { ...options, issuer: "https://evil.example" }), {
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
    await assert.rejects(jwtVerify(tamper(user.access), jwks, options), {
      code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
    await assert.rejects(jwtVerify(user.access, jwks, { ...options, algorithms: ["ES256"] }), {
      code: "ERR_JOSE_ALG_NOT_ALLOWED",
    });
  });

  test("jwks-rsa reads the server's OKP (Ed25519) key", async () => {
    const user = await signIn(sigil);
    const { kid } = decodeProtectedHeader(user.access);
    const client = jwksRsa({ jwksUri: `${sigil.issuer}/.well-known/jwks.json` });
    const key = await client.getSigningKey(kid);
    assert.match(key.getPublicKey(), /^-----BEGIN PUBLIC KEY-----/);
  });
});

// express-jwt 8 verifies with jsonwebtoken 9, which has no EdDSA (its algorithm lists stop at
// RS*/PS*/ES*/HS*), although jwks-rsa reads OKP keys (test above). So this case runs the server
// with SIGIL_SIGNING_ALG=ES256 — a supported setting, published in the JWKS like EdDSA keys.
describe("interop: express-jwt + jwks-rsa against the real server (ES256)", () => {
  let sigil: TestServer;
  let api: ExpressJwtApi;

  before(async () => {
    sigil = await startTestServer({ env: { SIGIL_SIGNING_ALG: "ES256", SIGIL_AUDIENCE: "https://api.example.test" } });
    const metadata = await call(sigil, "GET", "/.well-known/oauth-authorization-server");
    api = await startExpressJwtApi({
      jwksUri: metadata.body.jwks_uri,
      algorithms: ["ES256"],
      issuer: sigil.issuer,
      audience: sigil.audience,
      respond: (auth) => ({ sub: auth?.sub, scope: auth?.scope ?? null }),
    });
  });
  after(async () => {
    await api.close();
    await sigil.close();
  });

  test("a token from /auth/login is accepted; its claims reach the handler", async () => {
    const user = await signIn(sigil);
    assert.equal(decodeProtectedHeader(user.access).alg, "ES256");
    const response = await get(api.url, { authorization: `Bearer ${user.access}` });
    assert.equal(response.status, 200, response.body);
    assert.equal(JSON.parse(response.body).sub, user.userId);
  });

  test("no token or an altered token → 401; a token from /auth/refresh → 200", async () => {
    assert.equal((await get(api.url)).status, 401);
    const user = await signIn(sigil);
    assert.equal((await get(api.url, { authorization: `Bearer ${tamper(user.access)}` })).status, 401);
    // A fresh token from /auth/refresh is just as acceptable: same key, same claims layout.
    const refreshed = await call(sigil, "POST", "/auth/refresh", { json: { refresh_token: user.refresh } });
    assert.equal(refreshed.status, 200);
    const again = await get(api.url, { authorization: `Bearer ${refreshed.body.access_token}` });
    assert.equal(again.status, 200, again.body);
    assert.equal(JSON.parse(again.body).sub, user.userId);
  });
});

/** A new user's tokens, named as these tests use them. */
async function signIn(sigil: TestServer): Promise<{ userId: string; access: string; refresh: string }> {
  const session = await sigil.signIn();
  return { userId: session.user.id, access: session.accessToken, refresh: session.refreshToken };
}
