// jose 6 runs on WebCrypto only. Given a KeyObject it converts it to a CryptoKey (cached per
// key for asymmetric keys; an HMAC secret is exported and re-imported on every call), so
// both key forms are measured. The KeyObject row is the one to compare: it is what a Node
// service holding node:crypto keys would pass.

import { webcrypto } from "node:crypto";
import { type CryptoKey, importPKCS8, importSPKI, jwtVerify, SignJWT } from "jose";
import { type AlgFixture, TTL_SECONDS } from "../fixtures.js";
import { type Contender, subjectOfPayloadField } from "./contender.js";

export type JoseKeyForm = "KeyObject" | "CryptoKey";

async function toCryptoKey(fixture: AlgFixture, use: "sign" | "verify"): Promise<CryptoKey> {
  const key = use === "sign" ? fixture.signingKey : fixture.verificationKey;
  if (fixture.alg === "HS256") {
    const hmac = { name: "HMAC", hash: "SHA-256" };
    return (await webcrypto.subtle.importKey("raw", key.export(), hmac, false, [use])) as CryptoKey;
  }
  const material = use === "sign" ? fixture.signingKeyMaterial : fixture.verificationKeyMaterial;
  return use === "sign" ? importPKCS8(String(material), fixture.alg) : importSPKI(String(material), fixture.alg);
}

export function joseContender(keyForm: JoseKeyForm): Contender {
  return {
    name: `jose (${keyForm})`,
    role: "peer",
    keyForm,
    cacheModes: ["off"],
    unsupported: () => undefined,
    async createSigner(fixture) {
      const key = keyForm === "KeyObject" ? fixture.signingKey : await toCryptoKey(fixture, "sign");
      const { alg, kid, claims } = fixture;
      return () => {
        const iat = Math.floor(Date.now() / 1000);
        return new SignJWT(claims)
          .setProtectedHeader({ alg, typ: "JWT", kid })
          .setIssuedAt(iat)
          .setExpirationTime(iat + TTL_SECONDS)
          .sign(key);
      };
    },
    async createVerifier(fixture) {
      const key = keyForm === "KeyObject" ? fixture.verificationKey : await toCryptoKey(fixture, "verify");
      const options = { algorithms: [fixture.alg] };
      return { verify: (token) => jwtVerify(token, key, options), subjectOf: subjectOfPayloadField };
    },
  };
}
