import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createVerifier, decodeJWT, signJWT } from "@sigil/jwt";
import { jwtVerify, SignJWT } from "jose";
import { ALL_ALGORITHMS, claims, expectCode, keysFor, NOW, now } from "./fixtures/engine.js";

// Cross-library interop (issue 2 §5): jose is an independent JWS implementation on WebCrypto.
describe("interop with jose", () => {
  for (const alg of ALL_ALGORITHMS) {
    test(`${alg}: Sigil-signed verifies with jose, jose-signed verifies with Sigil`, async () => {
      const { signing, verification, publicKey, privateKey } = keysFor(alg);
      const sigilToken = signJWT(claims({ iss: "https://auth.example", aud: "api" }), signing, {
        now,
        typ: "at+jwt",
      });
      const fromSigil = await jwtVerify(sigilToken, publicKey, {
        algorithms: [alg],
        issuer: "https://auth.example",
        audience: "api",
        typ: "at+jwt",
        currentDate: new Date(now()),
      });
      assert.equal(fromSigil.payload.sub, "user-1");
      assert.equal(fromSigil.protectedHeader.kid, signing.kid);

      const joseToken = await new SignJWT({ sub: "user-2", scope: "read" })
        .setProtectedHeader({ alg, kid: signing.kid, typ: "at+jwt" })
        .setIssuer("https://auth.example")
        .setAudience(["api", "other"])
        .setIssuedAt(NOW - 10)
        .setExpirationTime(NOW + 600)
        .setJti("jose-1")
        .sign(privateKey);
      const verify = createVerifier({
        algorithms: [alg],
        keys: [verification],
        issuer: "https://auth.example",
        audience: "api",
        typ: "at+jwt",
        now,
      });
      const result = verify(joseToken);
      assert.deepEqual(result.payload, decodeJWT(joseToken).payload);
      assert.equal(result.payload.sub, "user-2");
      assert.equal(result.key, verification);

      // A jose-signed token altered by one payload character does not verify.
      const [h, p, s] = joseToken.split(".") as [string, string, string];
      const altered = `${h}.${Buffer.from(Buffer.from(p, "base64url").toString().replace("user-2", "user-3")).toString("base64url")}.${s}`;
      expectCode(() => verify(altered), "SIGNATURE_INVALID");
    });
  }
});
