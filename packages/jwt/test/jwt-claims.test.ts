import assert from "node:assert/strict";
import { createHmac, createSecretKey } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, JWTError, signJWT, type VerifierOptions } from "@sigil/jwt";
import { b64, claims, expectCode, hmacToken, keysFor, NOW, now } from "./fixtures/engine.js";

const { signing, verification } = keysFor("HS256");
const H = { alg: "HS256", kid: "k-HS256" };
type Options = Omit<VerifierOptions, "algorithms" | "keys">;

function verifier(options: Options = {}): (token: string) => unknown {
  return createVerifier({ algorithms: ["HS256"], keys: [verification], now, cache: false, ...options });
}

/** A token with exactly these claims (nothing added). */
function token(payload: unknown, header: Record<string, unknown> = H): string {
  return hmacToken(header, payload, signing.key);
}

describe("exp, nbf and iat must be NumericDates", () => {
  for (const claim of ["exp", "nbf", "iat"]) {
    for (const value of ["1795540443", null, true, {}, [NOW], ""]) {
      test(`${claim} = ${JSON.stringify(value)} is CLAIM_INVALID`, () => {
        const error = expectCode(() => verifier()(token(claims({ [claim]: value }))), "CLAIM_INVALID");
        assert.equal(error.details.claim, claim);
      });
    }
    test(`${claim} = 1e999 (Infinity after JSON.parse) is CLAIM_INVALID`, () => {
      const raw = `${b64(H)}.${b64(`{"sub":"u","iat":${NOW},"exp":${NOW + 60},"${claim}":1e999}`)}`;
      const forged = `${raw}.${createHmac("sha256", signing.key).update(raw).digest("base64url")}`;
      expectCode(() => verifier()(forged), "CLAIM_INVALID");
    });
  }
});

describe("expiry", () => {
  test("an expired token says by how much, when, and the server time", () => {
    const exp = Date.UTC(2026, 10, 24, 9, 12, 0) / 1000;
    const error = expectCode(() => verifier()(token(claims({ iat: exp - 900, exp }))), "TOKEN_EXPIRED");
    assert.equal(error.message, "expired 8 h 3 min ago (exp 2026-11-24T09:12:00Z, server time 17:15:03Z)");
    assert.deepEqual(error.details, { claim: "exp", actual: exp, seconds: 28_983 });
  });

  test("the default clock tolerance is 30 s; clockTolerance changes it", () => {
    assert.ok(verifier()(token(claims({ exp: NOW - 29 }))));
    expectCode(() => verifier()(token(claims({ exp: NOW - 30 }))), "TOKEN_EXPIRED");
    expectCode(() => verifier({ clockTolerance: 0 })(token(claims({ exp: NOW }))), "TOKEN_EXPIRED");
    assert.ok(verifier({ clockTolerance: 0 })(token(claims({ exp: NOW + 1 }))));
    assert.ok(verifier({ clockTolerance: 120 })(token(claims({ exp: NOW - 100 }))));
  });

  test("a token without exp is CLAIM_MISSING unless requireExpiry is false", () => {
    const noExp = token({ sub: "u", iat: NOW });
    const error = expectCode(() => verifier()(noExp), "CLAIM_MISSING");
    assert.equal(error.details.claim, "exp");
    assert.match(error.message, /no exp claim/);
    assert.ok(verifier({ requireExpiry: false })(noExp));
  });
});

describe("not before and issued at", () => {
  test("nbf in the future beyond the tolerance is NOT_YET_VALID", () => {
    const error = expectCode(() => verifier()(token(claims({ nbf: NOW + 14 * 60 }))), "NOT_YET_VALID");
    assert.match(error.message, /^not valid for another 14 min \(nbf 2026-11-24T17:29:03Z, server time 17:15:03Z\)$/);
    assert.ok(verifier()(token(claims({ nbf: NOW + 30 }))));
  });

  test("iat in the future is ISSUED_IN_FUTURE and blames the issuer's clock", () => {
    const iat = NOW + 8 * 3600;
    const error = expectCode(() => verifier()(token(claims({ iat, exp: iat + 60 }))), "ISSUED_IN_FUTURE");
    assert.match(error.message, /^issued 8 h in the future: the issuer's clock or timezone is probably wrong/);
    assert.ok(verifier()(token(claims({ iat: NOW + 30 }))));
  });

  test("maxTokenAge: TOKEN_TOO_OLD, and iat becomes required", () => {
    const old = token(claims({ iat: NOW - 3600 }));
    const error = expectCode(() => verifier({ maxTokenAge: 1800 })(old), "TOKEN_TOO_OLD");
    assert.match(error.message, /^issued 1 h ago, more than the maximum age of 30 min/);
    assert.ok(verifier({ maxTokenAge: 1800 })(token(claims({ iat: NOW - 1700 }))));
    const missing = expectCode(() => verifier({ maxTokenAge: 60 })(token({ exp: NOW + 60 })), "CLAIM_MISSING");
    assert.equal(missing.details.claim, "iat");
  });
});

describe("issuer, subject and audience", () => {
  test("iss must match one of the expected issuers", () => {
    const check = verifier({ issuer: ["https://a.example", "https://b.example"] });
    assert.ok(check(token(claims({ iss: "https://b.example" }))));
    const error = expectCode(() => check(token(claims({ iss: "https://evil.example" }))), "CLAIM_MISMATCH");
    assert.equal(error.details.claim, "iss");
    assert.equal(expectCode(() => check(token(claims())), "CLAIM_MISSING").details.claim, "iss");
    assert.equal(expectCode(() => check(token(claims({ iss: 1 }))), "CLAIM_INVALID").details.claim, "iss");
  });

  test("sub must match the expected subject", () => {
    const check = verifier({ subject: "user-1" });
    assert.ok(check(token(claims())));
    assert.equal(expectCode(() => check(token(claims({ sub: "user-2" }))), "CLAIM_MISMATCH").details.claim, "sub");
    assert.equal(expectCode(() => check(token(claims({ sub: 1 }))), "CLAIM_INVALID").details.claim, "sub");
  });

  test("aud, a string or an array, must contain an expected audience", () => {
    const check = verifier({ audience: "api" });
    assert.ok(check(token(claims({ aud: "api" }))));
    assert.ok(check(token(claims({ aud: ["other", "api"] }))));
    assert.ok(verifier({ audience: ["x", "api"] })(token(claims({ aud: "api" }))));
    for (const aud of ["web", ["web", "admin"], []]) {
      const error = expectCode(() => check(token(claims({ aud }))), "CLAIM_MISMATCH");
      assert.equal(error.details.claim, "aud");
    }
    assert.equal(expectCode(() => check(token(claims())), "CLAIM_MISSING").details.claim, "aud");
  });

  test("an aud array with a non-string member is CLAIM_INVALID, even with a matching member", () => {
    for (const aud of [["api", 1], ["api", null], [["api"]], 5, { api: true }]) {
      const error = expectCode(() => verifier({ audience: "api" })(token(claims({ aud }))), "CLAIM_INVALID");
      assert.equal(error.details.claim, "aud");
      expectCode(() => verifier()(token(claims({ aud }))), "CLAIM_INVALID");
    }
  });

  test("requiredClaims must be present", () => {
    const check = verifier({ requiredClaims: ["sid", "scope"] });
    assert.ok(check(token(claims({ sid: "s", scope: "read" }))));
    const error = expectCode(() => check(token(claims({ sid: "s" }))), "CLAIM_MISSING");
    assert.equal(error.details.claim, "scope");
  });
});

describe("typ (RFC 8725 §3.11, RFC 9068 §2.1)", () => {
  const check = verifier({ typ: "at+jwt" });
  test("matches case-insensitively with an optional application/ prefix", () => {
    for (const typ of ["at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt"]) {
      assert.ok(check(token(claims(), { ...H, typ })), typ);
    }
    assert.ok(verifier({ typ: "application/at+jwt" })(token(claims(), { ...H, typ: "at+jwt" })));
  });

  test("another or a missing typ is TYP_MISMATCH", () => {
    for (const typ of ["JWT", "jwt", "at+jwt2", "application/jwt", "text/at+jwt", undefined]) {
      expectCode(() => check(token(claims(), { ...H, typ })), "TYP_MISMATCH");
    }
    expectCode(() => check(signJWT(claims(), signing)), "TYP_MISMATCH");
    assert.ok(check(signJWT(claims(), signing, { typ: "at+jwt" })));
  });
});

describe("the jwt.io example token (issue 2, done-when)", () => {
  test("with its public 19-byte secret, the signature checks out and the missing exp is what refuses it", () => {
    const token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    // Verifying against a legacy short secret is allowed (the CLI warns); signing with one is not.
    const legacy = { kid: "legacy", alg: "HS256" as const, key: createSecretKey(Buffer.from("your-256-bit-secret")) };
    const check = createVerifier({ algorithms: ["HS256"], keys: [legacy], now });
    const error = expectCode(() => check(token), "CLAIM_MISSING");
    assert.equal(error.details.claim, "exp");
    const optedOut = createVerifier({ algorithms: ["HS256"], keys: [legacy], now, requireExpiry: false });
    assert.equal(optedOut(token).payload.name, "John Doe");
    expectCode(() => signJWT({}, legacy), "WEAK_SECRET");
  });
});

describe("error messages", () => {
  test("never contain the token, its segments or the key", () => {
    const secretText = signing.key.export().toString("base64url");
    const attempts = [
      () => verifier()(token(claims({ exp: NOW - 3600 }))),
      () => verifier({ audience: "api" })(token(claims({ aud: "web" }))),
      () => verifier()(`${token(claims())}x`),
      () => verifier()(token(claims({ exp: "soon" }))),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
        assert.fail("should throw");
      } catch (error) {
        assert.ok(error instanceof JWTError);
        const text = `${error.message} ${JSON.stringify(error.details)}`;
        assert.ok(!text.includes("eyJ"), text);
        assert.ok(!text.includes(secretText), text);
      }
    }
  });
});
