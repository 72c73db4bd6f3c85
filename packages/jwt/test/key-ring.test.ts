import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";
import type { JWTError } from "../src/errors/jwt-error.js";
import { createSecretKey } from "../src/keys/create-secret-key.js";
import { generateKeyPair } from "../src/keys/generate-key-pair.js";
import type { KeyPair } from "../src/keys/key-pair.js";
import { KeyRing } from "../src/keys/key-ring.js";

const code = (expected: string) => (error: unknown) => (error as JWTError).code === expected;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];
const MINUTE = 60_000;

function clock(start = Date.UTC(2026, 10, 24, 12)): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

const kids = (ring: KeyRing): string[] => ring.toJWKS().keys.map((jwk) => String(jwk.kid));

describe("KeyRing", () => {
  let first: KeyPair;
  let second: KeyPair;
  let rsa: KeyPair;
  before(async () => {
    [first, second, rsa] = await Promise.all([generateKeyPair(), generateKeyPair("ES256"), generateKeyPair("RS256")]);
  });

  test("an empty ring, or one with only future keys, has no signing key (KEY_NOT_FOUND)", () => {
    const time = clock();
    const ring = new KeyRing({ now: time.now });
    assert.throws(() => ring.signingKey, code("KEY_NOT_FOUND"));
    ring.add({ ...first, activatesAt: time.now() + MINUTE });
    assert.throws(() => ring.signingKey, code("KEY_NOT_FOUND"));
    assert.deepEqual(ring.find(first.kid), [first.verification]);
    time.advance(MINUTE);
    assert.equal(ring.signingKey, first.signing);
  });

  test("refuses duplicate kids, mismatched entries and bad times (OPTIONS_INVALID)", () => {
    const ring = new KeyRing();
    ring.add(first);
    assert.throws(() => ring.add(first), code("OPTIONS_INVALID"));
    assert.throws(
      () => ring.add({ signing: first.signing, verification: second.verification }),
      code("OPTIONS_INVALID"),
    );
    assert.throws(() => ring.add({ ...second, activatesAt: Number.NaN }), code("OPTIONS_INVALID"));
    assert.throws(() => ring.add({ ...second, activatesAt: 10, retiresAt: 5 }), code("OPTIONS_INVALID"));
    assert.throws(() => ring.add({ ...second, retainMs: -1 }), code("OPTIONS_INVALID"));
    assert.throws(() => ring.rotate(second, { publishLeadMs: -1, retainMs: 0 }), code("OPTIONS_INVALID"));
    assert.throws(() => ring.rotate(second, { publishLeadMs: 0, retainMs: Number.NaN }), code("OPTIONS_INVALID"));
  });

  test("rotation timeline: publish before signing, switch at activatesAt, retain until retiresAt + retainMs", () => {
    const time = clock();
    const ring = new KeyRing({ now: time.now });
    ring.add(first);
    assert.equal(ring.signingKey, first.signing);
    const v1 = ring.version;

    ring.rotate(second, { publishLeadMs: 10 * MINUTE, retainMs: 20 * MINUTE });
    assert.ok(ring.version > v1);
    // The new key is published at once, but the old one keeps signing during the lead time.
    assert.deepEqual(kids(ring), [first.kid, second.kid]);
    assert.deepEqual(ring.find(second.kid), [second.verification]);
    assert.equal(ring.signingKey, first.signing);
    time.advance(10 * MINUTE - 1);
    assert.equal(ring.signingKey, first.signing);

    // Exactly at activatesAt the new key signs.
    time.advance(1);
    assert.equal(ring.signingKey, second.signing);
    assert.deepEqual(ring.find(first.kid), [first.verification]);

    // The old key stays published through its grace, and prune() keeps it.
    time.advance(20 * MINUTE);
    const v2 = ring.version;
    assert.deepEqual(ring.prune(), []);
    assert.equal(ring.version, v2);
    assert.deepEqual(kids(ring), [first.kid, second.kid]);

    // After retiresAt + retainMs, prune() drops it and the version changes.
    time.advance(1);
    assert.deepEqual(ring.prune(), [first.kid]);
    assert.ok(ring.version > v2);
    assert.deepEqual(ring.find(first.kid), []);
    assert.deepEqual(kids(ring), [second.kid]);
    assert.deepEqual(ring.find(undefined), [second.verification]);
    assert.equal(ring.signingKey, second.signing);
  });

  test("remove() and add() change the version; remove of an unknown kid does not", () => {
    const ring = new KeyRing();
    const v0 = ring.version;
    ring.add(first);
    const v1 = ring.version;
    assert.ok(v1 > v0);
    assert.equal(ring.remove("nope"), false);
    assert.equal(ring.version, v1);
    assert.equal(ring.remove(first.kid), true);
    assert.ok(ring.version > v1);
    assert.deepEqual(ring.find(undefined), []);
  });

  test("toJWKS publishes public members only and never HMAC keys", () => {
    const ring = new KeyRing();
    const hmac = createSecretKey(randomBytes(32));
    ring.add({ signing: hmac, verification: hmac });
    // A verification entry that (carelessly) holds the private key is still published as public.
    ring.add({ signing: rsa.signing, verification: rsa.signing });
    ring.add(second);
    const jwks = ring.toJWKS();
    assert.deepEqual(
      jwks.keys.map((jwk) => jwk.kid),
      [rsa.kid, second.kid],
    );
    const text = JSON.stringify(jwks);
    for (const jwk of jwks.keys) {
      for (const member of PRIVATE_MEMBERS) assert.equal(member in jwk, false, `${String(jwk.kid)} has ${member}`);
      assert.equal(jwk.use, "sig");
    }
    assert.equal(text.includes(hmac.kid), false);
    assert.equal(text.includes('"oct"'), false);
    // HMAC keys still verify tokens the ring signed.
    assert.deepEqual(ring.find(hmac.kid), [hmac]);
  });

  test("the newest active key signs; verification-only keys never do", () => {
    const time = clock();
    const ring = new KeyRing({ now: time.now });
    ring.add({ verification: rsa.verification });
    assert.throws(() => ring.signingKey, code("KEY_NOT_FOUND"));
    ring.add({ ...first, activatesAt: time.now() - 2 * MINUTE });
    ring.add({ ...second, activatesAt: time.now() - MINUTE, retiresAt: time.now() + MINUTE });
    assert.equal(ring.signingKey, second.signing);
    time.advance(MINUTE);
    assert.equal(ring.signingKey, first.signing);
  });
});
