import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { createSecretKey, generateKeyPair, KeyRing, signJWT } from "@sigil/jwt";
import { createIntrospector } from "../../src/clients/introspect-token.js";
import type { Queryable } from "../../src/store/database.js";

const ISSUER = "https://auth.example.test";
const NOW = Date.UTC(2026, 10, 24, 12);

function revocations(revoked: boolean): Queryable & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    query: async <Row>(_sql: string, params: readonly unknown[] = []) => {
      calls.push([...params]);
      return { rows: (revoked ? [{ "?column?": 1 }] : []) as Row[], rowCount: revoked ? 1 : 0 };
    },
  };
}

const claims = { iss: ISSUER, sub: "u1", aud: "https://api.test", client_id: "web", sid: "s1", scope: "a b" };

test("introspection: tokens of a key retired by an algorithm change stay checkable; revoked ones are inactive", async () => {
  const ring = new KeyRing({ now: () => NOW });
  const old = await generateKeyPair("ES256");
  ring.add(old);
  const options = {
    config: { issuer: ISSUER, signingAlg: "EdDSA" as const, clockTolerance: 30 },
    keys: { keyRing: ring },
    now: () => NOW,
  };
  const token = signJWT(claims, old.signing, { expiresIn: 900, typ: "at+jwt", now: () => NOW });

  const db = revocations(false);
  const info = await createIntrospector({ ...options, db })(token);
  assert.deepEqual(
    { ...info },
    {
      active: true,
      client_id: "web",
      sub: "u1",
      exp: NOW / 1000 + 900,
      iat: NOW / 1000,
      iss: ISSUER,
      aud: "https://api.test",
      jti: (info as { jti: string }).jti,
      token_type: "Bearer",
      scope: "a b",
      sid: "s1",
    },
  );
  assert.deepEqual(db.calls[0]?.slice(0, 2), ["s1", "u1"]);

  assert.deepEqual(await createIntrospector({ ...options, db: revocations(true) })(token), { active: false });
});

test("introspection: wrong typ, foreign issuer, HMAC tokens and missing claims are inactive", async () => {
  const ring = new KeyRing({ now: () => NOW });
  const pair = await generateKeyPair("EdDSA");
  ring.add(pair);
  const introspect = createIntrospector({
    config: { issuer: ISSUER, signingAlg: "EdDSA", clockTolerance: 30 },
    keys: { keyRing: ring },
    db: revocations(false),
    now: () => NOW,
  });
  const sign = (payload: Record<string, unknown>, typ = "at+jwt"): string =>
    signJWT(payload, pair.signing, { expiresIn: 900, typ, now: () => NOW });
  assert.equal((await introspect(sign(claims))).active, true);
  assert.deepEqual(await introspect(sign(claims, "JWT")), { active: false });
  assert.deepEqual(await introspect(sign({ ...claims, iss: "https://evil.test" })), { active: false });
  assert.deepEqual(await introspect(sign({ ...claims, client_id: undefined })), { active: false });
  assert.deepEqual(await introspect(sign({ ...claims, sid: 7 })), { active: false });
  const hmac = createSecretKey(randomBytes(32));
  assert.deepEqual(await introspect(signJWT(claims, hmac, { expiresIn: 900, typ: "at+jwt", now: () => NOW })), {
    active: false,
  });
});
