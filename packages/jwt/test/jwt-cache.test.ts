import assert from "node:assert/strict";
import { createSecretKey, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, signJWT, type VerificationKey, type VerificationKeySet } from "@sigil/jwt";
import { type CachedToken, TokenCache, tokenHash } from "../src/jwt/token-cache.js";
import { claims, expectCode, keysFor, NOW, NOW_MS } from "./fixtures/engine.js";

const { signing, verification } = keysFor("HS256");

/** A key set whose contents and version a test can change. */
function mutableSet(initial: VerificationKey[]): VerificationKeySet & { replace(keys: VerificationKey[]): void } {
  let keys = initial;
  let version = 1;
  return {
    get version() {
      return version;
    },
    find: (kid) => (kid === undefined ? keys : keys.filter((k) => k.kid === kid)),
    replace(next) {
      keys = next;
      version++;
    },
  };
}

describe("the verified-token cache", () => {
  test("hits return the same verified claims, shared and frozen; the first caller's stay its own", () => {
    const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now: () => NOW_MS });
    const token = signJWT(claims({ aud: ["api"] }), signing);
    const first = verify(token);
    assert.ok(!Object.isFrozen(first.payload), "the miss hands out claims of its own");
    (first.payload as Record<string, unknown>)["roles"] = ["admin"];
    const admitted = verify(token);
    assert.ok(!Object.isFrozen(admitted.payload), "stored on its second sight, still verified afresh");
    (admitted.payload as Record<string, unknown>)["roles"] = ["admin"];
    const second = verify(token);
    const third = verify(token);
    assert.equal(third, second);
    assert.equal(second.payload["roles"], undefined, "a mutation by the first caller does not leak");
    assert.equal(second.payload.sub, "user-1");
    assert.deepEqual(second.payload.aud, ["api"]);
    assert.equal(second.key, verification);
    assert.ok(Object.isFrozen(second) && Object.isFrozen(second.payload) && Object.isFrozen(second.payload.aud));
    assert.ok(Object.isFrozen(second.header));
  });

  test("expiry, nbf and maxTokenAge are still checked on a hit", () => {
    let clock = NOW_MS;
    const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now: () => clock, maxTokenAge: 3600 });
    const token = signJWT(claims({ iat: NOW, exp: NOW + 600 }), signing);
    assert.ok(verify(token));
    clock += 629_000;
    assert.ok(verify(token), "within the tolerance");
    clock += 1000;
    expectCode(() => verify(token), "TOKEN_EXPIRED");
    clock = NOW_MS;
    // The expired entry was dropped; an earlier clock verifies it afresh.
    assert.ok(verify(token));
    const long = signJWT(claims({ iat: NOW, exp: NOW + 86_400 }), signing);
    assert.ok(verify(long));
    clock = NOW_MS + 3631_000;
    expectCode(() => verify(long), "TOKEN_TOO_OLD");
  });

  test("the whole cache is dropped when the key set's version changes", () => {
    const set = mutableSet([verification]);
    const verify = createVerifier({ algorithms: ["HS256"], keys: set, now: () => NOW_MS });
    const token = signJWT(claims(), signing);
    assert.ok(verify(token));
    assert.ok(verify(token));
    set.replace([{ kid: verification.kid, alg: "HS256", key: createSecretKey(randomBytes(32)) }]);
    expectCode(() => verify(token), "SIGNATURE_INVALID");
    set.replace([]);
    expectCode(() => verify(token), "KEY_NOT_FOUND");
    set.replace([verification]);
    assert.ok(verify(token));
  });

  test("is bounded: the least recently used tokens go when it is full", () => {
    const verify = createVerifier({
      algorithms: ["HS256"],
      keys: [verification],
      now: () => NOW_MS,
      cache: { maxEntries: 4 },
    });
    // A hit returns shared, frozen claims; a miss verifies afresh and returns claims of its own.
    const cached = (token: string): boolean => Object.isFrozen(verify(token).payload);
    const tokens = [1, 2, 3, 4, 5, 6].map((n) => signJWT(claims({ n }), signing));
    for (const token of tokens) {
      assert.equal(cached(token), false, "first sight: only remembered as seen");
      assert.equal(cached(token), false, "second sight: stored");
    }
    assert.equal(cached(tokens[5]!), true, "newest is cached");
    assert.equal(cached(tokens[2]!), true, "a recent one is cached, and now used again");
    assert.equal(cached(tokens[0]!), false, "the oldest was evicted and is verified afresh");
    assert.equal(cached(tokens[1]!), false, "so was the next oldest");
    assert.equal(cached(tokens[2]!), true, "the recently used one survived");
  });

  test("never holds more than maxEntries tokens", () => {
    for (const maxEntries of [2, 3, 10, 101]) {
      const cache = new TokenCache(maxEntries, 0);
      const entry = (token: string): CachedToken => ({
        token,
        exp: 1,
        nbf: undefined,
        iat: 1,
        header: { alg: "HS256" },
        key: verification,
        result: undefined,
      });
      let last: CachedToken | undefined;
      for (let i = 0; i < 1000; i++) {
        last = entry(`t${i}`);
        cache.set(last, 0);
        if (i % 7 === 0) cache.get(`t${i >> 1}`, 0);
        assert.ok(cache.size <= maxEntries, `${cache.size} > ${maxEntries}`);
      }
      assert.equal(cache.get("t999", 0), last);
      cache.get("t999", 1);
      assert.equal(cache.size, 0, "a new key set version empties it");
    }
  });

  test("failures are never cached, and cache: false verifies every time", () => {
    const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now: () => NOW_MS });
    const bad = `${signJWT(claims(), signing).slice(0, -3)}AAA`;
    expectCode(() => verify(bad), "SIGNATURE_INVALID");
    expectCode(() => verify(bad), "SIGNATURE_INVALID");
    const off = createVerifier({ algorithms: ["HS256"], keys: [verification], now: () => NOW_MS, cache: false });
    const token = signJWT(claims(), signing);
    const one = off(token);
    const two = off(token);
    assert.notEqual(one, two);
    assert.deepEqual(one.payload, two.payload);
    assert.ok(!Object.isFrozen(one.payload));
  });

  test("admits a token on its second sight only: a flood of distinct tokens does not evict those in use", () => {
    const verify = createVerifier({
      algorithms: ["HS256"],
      keys: [verification],
      now: () => NOW_MS,
      cache: { maxEntries: 4 },
    });
    const cached = (token: string): boolean => Object.isFrozen(verify(token).payload);
    const inUse = signJWT(claims({ n: "in-use" }), signing);
    assert.equal(cached(inUse), false);
    assert.equal(cached(inUse), false);
    assert.equal(cached(inUse), true, "third sight: a hit");
    for (let n = 0; n < 200; n++) assert.equal(cached(signJWT(claims({ n }), signing)), false);
    assert.equal(cached(inUse), true, "200 tokens seen once each were not stored");
  });

  test("a hit is an exact match: a token sharing another's signature segment is verified on its own", () => {
    const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now: () => NOW_MS });
    const token = signJWT(claims(), signing);
    for (let i = 0; i < 3; i++) assert.ok(verify(token));
    assert.ok(Object.isFrozen(verify(token).payload), "cached");
    const [header, , signature] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify(claims({ sub: "admin" }))).toString("base64url");
    const forged = `${header}.${forgedPayload}.${signature}`;
    for (let i = 0; i < 3; i++) expectCode(() => verify(forged), "SIGNATURE_INVALID");
  });

  test("tokens whose lookup numbers collide never answer for each other", () => {
    const cache = new TokenCache(10, 0);
    // Same length and same last 9 characters: the same tokenHash by construction.
    const a = "aaaa.payload.signature";
    const b = "bbbb.payload.signature";
    assert.equal(tokenHash(a), tokenHash(b));
    const entry: CachedToken = {
      token: a,
      exp: undefined,
      nbf: undefined,
      iat: undefined,
      header: { alg: "HS256" },
      key: verification,
      result: undefined,
    };
    cache.set(entry, 0);
    assert.equal(cache.get(a, 0), entry);
    assert.equal(cache.get(b, 0), undefined);
    cache.delete(b);
    assert.equal(cache.get(a, 0), entry, "deleting the other token leaves this one");
    assert.equal(cache.admits(b, 0), false);
    assert.equal(cache.admits(b, 0), true);
    assert.equal(cache.admits(b, 1), false, "never admitted into another key set version");
  });
});
