// fast-jwt: the fastest established verifier. It takes raw secret bytes or PEM (it builds its
// own KeyObject once, at creation), and its cache is keyed by a hash of the whole token.

import { createSigner, createVerifier } from "fast-jwt";
import { TTL_SECONDS } from "../fixtures.js";
import { type Contender, subjectOfClaims } from "./contender.js";

export const fastJWT: Contender = {
  name: "fast-jwt",
  role: "peer",
  keyForm: "secret bytes / PEM",
  cacheModes: ["off", "hit", "miss"],
  unsupported: () => undefined,
  async createSigner(fixture) {
    const sign = createSigner({
      key: fixture.signingKeyMaterial,
      algorithm: fixture.alg,
      kid: fixture.kid,
      expiresIn: TTL_SECONDS * 1000, // fast-jwt takes milliseconds
    });
    const { claims } = fixture;
    return () => sign(claims);
  },
  async createVerifier(fixture, cache, cacheSize) {
    const verify = createVerifier({
      key: fixture.verificationKeyMaterial,
      algorithms: [fixture.alg],
      cache: cache === "off" ? false : cacheSize,
    });
    return { verify, subjectOf: subjectOfClaims };
  },
};
