import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { accessTokenAlgorithms, readAccessTokenClaims, tokenSubjectOf } from "../src/index.js";

const user = {
  iss: "https://a",
  sub: "u1",
  aud: "https://api",
  sid: "s1",
  client_id: "first-party",
  iat: 1,
  exp: 2,
  jti: "j",
};
const service = {
  iss: "https://a",
  sub: "billing",
  aud: "https://svc",
  client_id: "billing",
  iat: 1,
  exp: 2,
  jti: "j",
};

describe("the access-token profile", () => {
  test("a user token names its session; a service token is its own client's and has none", () => {
    assert.equal(tokenSubjectOf(user), "user");
    assert.equal(tokenSubjectOf(service), "service");
    // No session, yet a subject other than the client: no Sigil server signs that.
    assert.equal(tokenSubjectOf({ ...service, sub: "someone-else" }), null);
    assert.equal(tokenSubjectOf({ ...user, sid: 7 }), null);
    assert.equal(tokenSubjectOf({ ...service, client_id: undefined }), null);
  });

  test("claims are read with their types or not at all", () => {
    assert.deepEqual(readAccessTokenClaims(user), {
      iss: "https://a",
      sub: "u1",
      aud: "https://api",
      sid: "s1",
      clientId: "first-party",
      scope: undefined,
      roles: [],
      iat: 1,
      exp: 2,
      jti: "j",
    });
    for (const bad of [
      { ...user, sub: 1 },
      { ...user, aud: ["https://api", 2] },
      { ...user, roles: "admin" },
      { ...user, scope: ["a"] },
      { ...user, iat: "1" },
    ]) {
      assert.equal(readAccessTokenClaims(bad), null, JSON.stringify(bad));
    }
  });

  test("the allow-list never mixes HS256 with public-key algorithms", () => {
    assert.deepEqual(accessTokenAlgorithms("HS256"), ["HS256"]);
    assert.deepEqual(accessTokenAlgorithms("EdDSA"), ["EdDSA", "ES256", "RS256"]);
  });
});
