// jsonwebtoken 9, given KeyObjects: with a string secret it re-parses the key on every call
// (see /work/shared/perf-baseline.md), which would measure a misuse rather than the library.

import jwt from "jsonwebtoken";
import { TTL_SECONDS } from "../fixtures.js";
import { type Contender, subjectOfClaims } from "./contender.js";

export const jsonwebtoken: Contender = {
  name: "jsonwebtoken",
  role: "peer",
  keyForm: "KeyObject",
  cacheModes: ["off"],
  unsupported: (alg) => (alg === "EdDSA" ? "jsonwebtoken 9 has no EdDSA" : undefined),
  async createSigner(fixture) {
    const { claims, signingKey } = fixture;
    const options: jwt.SignOptions = {
      algorithm: fixture.alg as jwt.Algorithm,
      expiresIn: TTL_SECONDS,
      keyid: fixture.kid,
    };
    return () => jwt.sign(claims, signingKey, options);
  },
  async createVerifier(fixture) {
    const key = fixture.verificationKey;
    const options: jwt.VerifyOptions = { algorithms: [fixture.alg as jwt.Algorithm] };
    return { verify: (token) => jwt.verify(token, key, options), subjectOf: subjectOfClaims };
  },
};
