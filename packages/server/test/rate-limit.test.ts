import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  addressKey,
  blockSeconds,
  createLoginRateLimiter,
  MemoryAttemptStore,
  nextAttemptState,
} from "../src/abuse/index.js";
import { RATE_LIMIT, rateLimitScenarios, TestClock } from "./rate-limit-scenarios.js";

describe("sign-in throttling: memory store", () => {
  rateLimitScenarios(() => new MemoryAttemptStore());
});

describe("memory store bounds", () => {
  const policy = { allowance: 5, windowSeconds: 60, maxBlockSeconds: 60 };

  test("never holds more than maxEntries counters", async () => {
    const store = new MemoryAttemptStore({ maxEntries: 10 });
    for (let i = 0; i < 50; i++) await store.reserve([{ key: `key${i}`, policy }], 1_000);
    assert.equal(store.size, 10);
  });

  test("expired counters are swept", async () => {
    const store = new MemoryAttemptStore({ maxEntries: 1000 });
    for (let i = 0; i < 20; i++) await store.reserve([{ key: `key${i}`, policy }], 0);
    store.sweep(59_999);
    assert.equal(store.size, 20);
    store.sweep(60_000);
    assert.equal(store.size, 0);
  });
});

describe("back-off arithmetic and keys", () => {
  test("blockSeconds starts at 1 s when the allowance is used up, doubles and caps, even for absurd counts", () => {
    const policy = { allowance: 5, windowSeconds: 900, maxBlockSeconds: 900 };
    assert.deepEqual(
      [5, 6, 7, 8, 13, 14, 15, 1_000_000].map((n) => blockSeconds(n, policy)),
      [1, 2, 4, 8, 256, 512, 900, 900],
    );
  });

  test("a window policy blocks until the window ends, not by back-off", () => {
    const policy = { allowance: 2, windowSeconds: 60, maxBlockSeconds: 60, block: "window" as const };
    const first = nextAttemptState(undefined, 0, policy);
    assert.equal(first.blockedUntil, null);
    const second = nextAttemptState(first, 10_000, policy);
    assert.equal(second.blockedUntil, 60_000);
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
    for (let i = 0; i < 5; i++) assert.equal((await limiter.reserve(keys)).allowed, true);
    assert.equal((await limiter.reserve(keys)).allowed, false);
    clock.advance(1);
    assert.equal((await limiter.reserve(keys)).allowed, true);
    assert.throws(() => createLoginRateLimiter({ rateLimit: { ...RATE_LIMIT, store: "database" } }), TypeError);
  });
});
