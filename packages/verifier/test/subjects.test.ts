// Which tokens a service accepts: its audience (required, or explicitly any) and whom the token
// speaks for (users by default; services; both). Fixed keys, no network.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isJWTError, signJWT } from "@sigil/jwt";
import { createAccessTokenVerifier, isVerifierError, sigilExpress } from "../src/index.js";
import { AUDIENCE, accessToken, createTestKey } from "./fixtures/tokens.js";

const ISSUER = "https://auth.example.test";

describe("audience and subjects", async () => {
  const key = await createTestKey();
  const base = {
    issuer: ISSUER,
    algorithms: ["EdDSA"] as const,
    keys: [key.pair.verification],
    revocation: false as const,
  };
  const userToken = accessToken(key, ISSUER);
  const serviceToken = signJWT({ iss: ISSUER, sub: "billing", client_id: "billing", aud: AUDIENCE }, key.pair.signing, {
    expiresIn: 900,
    typ: "at+jwt",
  });

  test("an audience is required at run time; false is the explicit opt-out", () => {
    for (const audience of [undefined, "", [], [""], 7]) {
      assert.throws(
        () => createAccessTokenVerifier({ ...base, audience } as never),
        (error: unknown) => isJWTError(error, "OPTIONS_INVALID") && /^audience: is required/.test(error.message),
        JSON.stringify(audience),
      );
    }
    const any = createAccessTokenVerifier({ ...base, audience: false });
    assert.equal(any.verify(accessToken(key, ISSUER, { aud: "https://another.example" })).payload.sub, "user-1");
    const strict = createAccessTokenVerifier({ ...base, audience: AUDIENCE });
    assert.throws(() => strict.verify(accessToken(key, ISSUER, { aud: "https://another.example" })));
  });

  test("users only by default: a service token is refused with SUBJECT_NOT_ACCEPTED", () => {
    const verifier = createAccessTokenVerifier({ ...base, audience: AUDIENCE });
    assert.equal(verifier.verify(userToken).payload.sid !== undefined, true);
    assert.throws(
      () => verifier.verify(serviceToken),
      (error: unknown) => isVerifierError(error, "SUBJECT_NOT_ACCEPTED") && error.details.subject === "service",
    );
  });

  test("services only, or both", () => {
    const services = createAccessTokenVerifier({ ...base, audience: AUDIENCE, subjects: "services" });
    assert.equal(services.verify(serviceToken).payload.sub, "billing");
    assert.throws(
      () => services.verify(userToken),
      (error: unknown) => isVerifierError(error, "SUBJECT_NOT_ACCEPTED"),
    );
    const both = createAccessTokenVerifier({ ...base, audience: AUDIENCE, subjects: "both" });
    both.verify(serviceToken);
    both.verify(userToken);
    assert.throws(() => createAccessTokenVerifier({ ...base, audience: AUDIENCE, subjects: "robots" as never }));
  });

  test("a token of neither shape is refused whatever the setting", () => {
    const both = createAccessTokenVerifier({ ...base, audience: AUDIENCE, subjects: "both" });
    const odd = accessToken(key, ISSUER, { sid: undefined, sub: "someone", client_id: "web" });
    assert.throws(
      () => both.verify(odd),
      (error: unknown) => isVerifierError(error, "SUBJECT_NOT_ACCEPTED") && error.details.subject === null,
    );
  });

  test("the middleware says whom the request's token speaks for", async () => {
    const verifier = createAccessTokenVerifier({ ...base, audience: AUDIENCE, subjects: "both" });
    const middleware = sigilExpress(verifier, { logger: { warn: () => {} } });
    for (const [token, subject] of [
      [userToken, "user"],
      [serviceToken, "service"],
    ] as const) {
      const req = {
        headers: { authorization: `Bearer ${token}` },
        rawHeaders: ["Authorization", `Bearer ${token}`],
        method: "GET",
        originalUrl: "/",
      } as never as {
        authSubject?: string;
      };
      await new Promise<void>((resolve, reject) =>
        middleware(req as never, {} as never, (error?: unknown) => (error ? reject(error) : resolve())),
      );
      assert.equal(req.authSubject, subject);
    }
  });
});
