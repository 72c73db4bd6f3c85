import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addressKey, blockSeconds, createLoginRateLimiter, MemoryFailureStore } from "../src/abuse/index.js";
import { RATE_LIMIT, rateLimitScenarios, TestClock } from "./rate-limit-scenarios.js";

describe("login rate limiter: memory store", () => {
  rateLimitScenarios(() => new MemoryFailureStore());
});

describe("memory store bounds", () => {
  test("never holds more than maxEntries counters", async () => {
    const store = new MemoryFailureStore({ maxEntries: 10 });
    const policy = { freeFailures: 5, windowSeconds: 900, maxBlockSeconds: 900 };
    for (let i = 0; i < 50; i++) await store.recordFailure(`key${i}`, 1_000, policy);
    assert.equal(store.size, 10);
    // The most recent failures are kept.
    assert.equal(await store.blockedUntil(["key49"], 0), undefined);
  });

  test("expired counters are swept", async () => {
    const store = new MemoryFailureStore({ maxEntries: 1000 });
    const policy = { freeFailures: 5, windowSeconds: 60, maxBlockSeconds: 60 };
    for (let i = 0; i < 20; i++) await store.recordFailure(`key${i}`, 0, policy);
    store.sweep(59_999);
    assert.equal(store.size, 20);
    store.sweep(60_000);
    assert.equal(store.size, 0);
  });
});

describe("back-off arithmetic and keys", () => {
  test("blockSeconds doubles and caps, even for absurd counts", () => {
    const policy = { freeFailures: 5, windowSeconds: 900, maxBlockSeconds: 900 };
    assert.deepEqual(
      [6, 7, 8, 9, 14, 15, 16, 1_000_000].map((n) => blockSeconds(n, policy)),
      [1, 2, 4, 8, 256, 512, 900, 900],
    );
  });

  test("addressKey", () => {
    assert.equal(addressKey("192.0.2.1"), "ip:192.0.2.1");
    assert.equal(addressKey("::ffff:192.0.2.1"), "ip:192.0.2.1");
    assert.equal(addressKey("2001:DB8::1"), "ip:2001:db8:0:0::/64");
    assert.equal(addressKey("2001:db8:1:2:3:4:5:6"), "ip:2001:db8:1:2::/64");
    assert.equal(addressKey("::1"), "ip:0:0:0:0::/64");
    assert.equal(addressKey("fe80::1%eth0"), "ip:fe80:0:0:0::/64");
  });

  test("createLoginRateLimiter picks the store and injects the clock", async () => {
    const clock = new TestClock();
    const limiter = createLoginRateLimiter({ rateLimit: RATE_LIMIT, now: clock.now });
    const keys = { account: "a@example.com", ip: "192.0.2.1" };
    for (let i = 0; i < 6; i++) await limiter.recordFailure(keys);
    assert.deepEqual(await limiter.check(keys), { allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    assert.deepEqual(await limiter.check(keys), { allowed: true });
    assert.throws(() => createLoginRateLimiter({ rateLimit: { ...RATE_LIMIT, store: "database" } }), TypeError);
  });
});
