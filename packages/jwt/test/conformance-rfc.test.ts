import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, type JWSAlgorithm, type VerificationKey } from "@sigil/jwt";
import { signJWS } from "../src/jws/sign-jws.js";
import { createSignatureCheck, createSignatureMaker } from "../src/jws/signature.js";
import { algorithmSpec } from "../src/lib/algorithms.js";
import { expectCode } from "./fixtures/engine.js";
import { RFC7515_A1, RFC7515_A2, RFC7515_A3, RFC7515_A5_TOKEN, RFC8037 } from "./fixtures/rfc-vectors.js";

/** One second before the RFC 7515 examples' exp (2011-03-22T18:42:59Z). */
const beforeExp = (): number => (RFC7515_A1.exp - 1) * 1000;

function verifierFor(alg: JWSAlgorithm, key: VerificationKey["key"]): (token: string) => unknown {
  return createVerifier({ algorithms: [alg], keys: [{ kid: "rfc", alg, key }], now: beforeExp, cache: false });
}

describe("RFC 7515 Appendix A", () => {
  test("A.1 HS256: the exact token verifies with the example key (clock frozen in 2011)", () => {
    const key = createSecretKey(Buffer.from(RFC7515_A1.jwk.k, "base64url"));
    const verify = createVerifier({ algorithms: ["HS256"], keys: [{ kid: "rfc", alg: "HS256", key }], now: beforeExp });
    const { header, payload } = verify(RFC7515_A1.token) as { header: object; payload: object };
    assert.deepEqual(header, { typ: "JWT", alg: "HS256" });
    assert.deepEqual(payload, { iss: "joe", exp: 1300819380, "http://example.com/is_root": true });
    // And the MAC over the RFC's signing input (its header has CR LF, so it is not re-serialised) is the RFC's.
    const [header64, payload64, signature] = RFC7515_A1.token.split(".") as [string, string, string];
    assert.equal(Buffer.from(header64, "base64url").toString(), RFC7515_A1.header);
    assert.equal(Buffer.from(payload64, "base64url").toString(), RFC7515_A1.payload);
    const mac = createSignatureMaker(algorithmSpec("HS256")!, key)(`${header64}.${payload64}`);
    assert.equal(mac, signature);
    // It expired in 2011, which the real clock reports.
    const today = createVerifier({ algorithms: ["HS256"], keys: [{ kid: "rfc", alg: "HS256", key }] });
    expectCode(() => today(RFC7515_A1.token), "TOKEN_EXPIRED");
  });

  test("A.2 RS256: signing gives the exact token, and it verifies", () => {
    const privateKey = createPrivateKey({ key: RFC7515_A2.jwk as JsonWebKey, format: "jwk" });
    const signed = signJWS({ alg: "RS256" }, RFC7515_A1.payload, { kid: "", alg: "RS256", key: privateKey });
    assert.equal(signed, RFC7515_A2.token);
    const verify = verifierFor("RS256", createPublicKey(privateKey));
    const { payload } = verify(RFC7515_A2.token) as { payload: object };
    assert.deepEqual(payload, { iss: "joe", exp: 1300819380, "http://example.com/is_root": true });
  });

  test("A.3 ES256: the RFC's R||S signature verifies", () => {
    const signature = RFC7515_A3.token.split(".")[2]!;
    assert.equal(Buffer.from(RFC7515_A3.signature).toString("base64url"), signature);
    const { d: _d, ...publicJwk } = RFC7515_A3.jwk;
    const verify = verifierFor("ES256", createPublicKey({ key: publicJwk as JsonWebKey, format: "jwk" }));
    assert.ok(verify(RFC7515_A3.token));
  });

  test("A.5 the unsecured JWS is refused", () => {
    const key = createSecretKey(Buffer.from(RFC7515_A1.jwk.k, "base64url"));
    const verify = verifierFor("HS256", key);
    expectCode(() => verify(RFC7515_A5_TOKEN), "ALG_NOT_ALLOWED");
  });
});

describe("RFC 8037 Appendix A (Ed25519)", () => {
  const privateKey = createPrivateKey({ key: RFC8037.jwk as JsonWebKey, format: "jwk" });
  const { d: _d, ...publicJwk } = RFC8037.jwk;
  const publicKey = createPublicKey({ key: publicJwk as JsonWebKey, format: "jwk" });

  test("A.4: signing gives the exact RFC signature", () => {
    assert.equal(signJWS(RFC8037.header, RFC8037.payload, { kid: "", alg: "EdDSA", key: privateKey }), RFC8037.token);
  });

  test("A.5: the signature validates with the A.2 public key", () => {
    const [header, payload, signature] = RFC8037.token.split(".") as [string, string, string];
    const check = createSignatureCheck(algorithmSpec("EdDSA")!, publicKey);
    assert.equal(check(`${header}.${payload}`, Buffer.from(signature, "base64url")), true);
    assert.equal(check(`${header}.${payload}x`, Buffer.from(signature, "base64url")), false);
    // The JWT verifier gets past the signature, then refuses the payload: it is text, not claims.
    const error = expectCode(() => verifierFor("EdDSA", publicKey)(RFC8037.token), "MALFORMED");
    assert.match(error.message, /payload/);
  });
});
