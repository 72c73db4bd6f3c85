import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { before, describe, test } from "node:test";
import type { JWTError } from "../src/errors/jwt-error.js";
import { jwksKeySet } from "../src/jwks/jwks-key-set.js";
import { exportJWK } from "../src/keys/export-jwk.js";
import { generateKeyPair } from "../src/keys/generate-key-pair.js";
import type { KeyPair } from "../src/keys/key-pair.js";
import type { JWK } from "../src/types.js";

const code = (expected: string) => (error: unknown) => (error as JWTError).code === expected;

describe("jwksKeySet", () => {
  let ed: KeyPair;
  let ec: KeyPair;
  let rsa: KeyPair;
  before(async () => {
    [ed, ec, rsa] = await Promise.all([generateKeyPair(), generateKeyPair("ES384"), generateKeyPair("RS256")]);
  });

  test("refuses documents that are not a JWKS (KEY_INVALID)", () => {
    assert.throws(() => jwksKeySet("{not json"), code("KEY_INVALID"));
    assert.throws(() => jwksKeySet("{}"), code("KEY_INVALID"));
    assert.throws(() => jwksKeySet({ keys: "x" } as unknown as { keys: JWK[] }), code("KEY_INVALID"));
  });

  test("skips keys that are not for signatures, unknown, symmetric, unsupported or too weak", () => {
    const weakRSA = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const base = exportJWK(ed.publicKey, { alg: "EdDSA" });
    const set = jwksKeySet({
      keys: [
        { ...base, use: "enc", kid: "enc" },
        { kty: "oct", k: "c2VjcmV0", kid: "oct" },
        { kty: "XYZ", kid: "xyz" },
        { ...base, alg: "none", kid: "none" },
        { ...base, alg: "RSA-OAEP", kid: "oaep" },
        { kty: "OKP", crv: "Ed448", x: "AAAA", kid: "ed448" },
        { ...(weakRSA as JWK), alg: "RS256", kid: "rsa1024" },
        { ...exportJWK(rsa.publicKey, { alg: "RS256" }), alg: undefined, kid: "rsa-no-alg" },
        "not an object" as unknown as JWK,
        base,
      ],
    });
    assert.deepEqual(
      set.keys.map((key) => key.kid),
      [ed.kid],
    );
    assert.deepEqual(
      set.skipped.map((skip) => [skip.index, skip.kid]),
      [
        [0, "enc"],
        [1, "oct"],
        [2, "xyz"],
        [3, "none"],
        [4, "oaep"],
        [5, "ed448"],
        [6, "rsa1024"],
        [7, "rsa-no-alg"],
        [8, undefined],
      ],
    );
    for (const skip of set.skipped) assert.ok(skip.reason.length > 0);
    assert.match(set.skipped[6]?.reason ?? "", /1024 bits/);
  });

  test("infers EdDSA and ES* from the curve; RSA without alg gives one key per allowed RSA algorithm", () => {
    const strip = (jwk: JWK): JWK => {
      const { alg: _alg, ...rest } = jwk;
      return rest;
    };
    const document = JSON.stringify({
      keys: [
        strip(exportJWK(ed.publicKey, { alg: "EdDSA" })),
        strip(exportJWK(ec.publicKey, { alg: "ES384" })),
        strip(exportJWK(rsa.publicKey, { alg: "RS256" })),
      ],
    });
    const set = jwksKeySet(document, { algorithms: ["EdDSA", "ES384", "RS256", "PS256"] });
    assert.deepEqual(
      set.keys.map((key) => [key.kid, key.alg]),
      [
        [ed.kid, "EdDSA"],
        [ec.kid, "ES384"],
        [rsa.kid, "RS256"],
        [rsa.kid, "PS256"],
      ],
    );
    assert.equal(set.find(rsa.kid).length, 2);
    assert.equal(set.find(undefined).length, 4);
    assert.deepEqual(set.find("unknown"), []);
    assert.equal(set.find(ed.kid)[0]?.key.equals(ed.publicKey), true);
    assert.equal(typeof set.version, "number");
  });

  test("keys for algorithms outside the allow-list are skipped", () => {
    const set = jwksKeySet(
      { keys: [exportJWK(ed.publicKey, { alg: "EdDSA" }), exportJWK(ec.publicKey, { alg: "ES384" })] },
      { algorithms: ["EdDSA"] },
    );
    assert.deepEqual(
      set.keys.map((key) => key.alg),
      ["EdDSA"],
    );
    assert.deepEqual(
      set.skipped.map((skip) => skip.kid),
      [ec.kid],
    );
  });

  test("private members in a JWKS are ignored: keys are built from public members only", () => {
    const leaked = exportJWK(ec.privateKey, { alg: "ES384", includePrivate: true });
    const set = jwksKeySet({ keys: [leaked] });
    assert.equal(set.keys[0]?.key.type, "public");
    assert.equal(set.keys[0]?.key.equals(ec.publicKey), true);
  });
});
