import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { createSecretKey, generateKeyPair, KeyRing, signJWT } from "@sigil/jwt";
import pino from "pino";
import type { TokenCheckContext } from "../../src/auth/access-token.js";
import { createAccessTokenIntrospection } from "../../src/auth/introspect-access-token.js";
import { Metrics } from "../../src/observability/metrics.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPGlite } from "../../src/store/pglite.js";
import { insertRevocation } from "../../src/store/revocations.js";

const ISSUER = "https://auth.example.test";
const NOW = Date.UTC(2026, 10, 24, 12);

let db: Database;
before(async () => {
  db = await openPGlite("memory");
  await migrate(db);
});
after(() => db.close());

/** The check's context on a real (in-memory) database, with the keys of `ring`. */
function context(ring: KeyRing): TokenCheckContext {
  return {
    config: { issuer: ISSUER, audience: ISSUER, signingAlg: "EdDSA", clockTolerance: 30 },
    keys: { keyRing: ring },
    db,
    metrics: new Metrics({ processMetrics: false }),
    revocations: { fresh: false, isRevoked: () => null },
    logger: pino({ level: "silent" }),
    now: () => NOW,
  };
}

const claims = { iss: ISSUER, sub: "u1", aud: "https://api.test", client_id: "web", sid: "s1", scope: "a b" };

test("introspection: tokens of a key retired by an algorithm change stay checkable; revoked ones are inactive", async () => {
  const ring = new KeyRing({ now: () => NOW });
  const old = await generateKeyPair("ES256");
  ring.add(old);
  const introspect = createAccessTokenIntrospection(context(ring));
  const token = signJWT({ ...claims, sid: "s-retired" }, old.signing, {
    expiresIn: 900,
    typ: "at+jwt",
    now: () => NOW,
  });

  const info = await introspect(token);
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
      sid: "s-retired",
    },
  );

  await db.transaction((tx) =>
    insertRevocation(tx, {
      kind: "session",
      sessionId: "s-retired",
      userId: "u1",
      reason: "logout",
      now: new Date(NOW),
      expiresAt: new Date(NOW + 960_000),
    }),
  );
  assert.deepEqual(await introspect(token), { active: false });
});

test("introspection: wrong typ, foreign issuer, HMAC tokens and missing claims are inactive", async () => {
  const ring = new KeyRing({ now: () => NOW });
  const pair = await generateKeyPair("EdDSA");
  ring.add(pair);
  const introspect = createAccessTokenIntrospection(context(ring));
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
