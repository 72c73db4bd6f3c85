// Scenarios shared by the memory (rate-limit.test.ts) and database (rate-limit-db.int.test.ts)
// backends: both must behave identically.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FailureStore, LoginRateLimiter } from "../src/abuse/index.js";
import type { RateLimitConfig } from "../src/config/index.js";

export const RATE_LIMIT: RateLimitConfig = {
  store: "memory",
  accountFreeFailures: 5,
  addressFreeFailures: 20,
  windowSeconds: 900,
  maxBlockSeconds: 900,
};

/** A clock tests move by hand; starts at a whole second. */
export class TestClock {
  ms = Date.UTC(2026, 10, 24, 12, 0, 0);
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export function rateLimitScenarios(makeStore: () => FailureStore | Promise<FailureStore>): void {
  async function setup(): Promise<{ limiter: LoginRateLimiter; clock: TestClock }> {
    const clock = new TestClock();
    const limiter = new LoginRateLimiter(await makeStore(), { rateLimit: RATE_LIMIT, now: clock.now });
    return { limiter, clock };
  }
  let n = 0;
  /** Unique keys per test, so scenarios sharing one database do not interfere. */
  const fresh = (): { alice: string; bob: string; ip: string; ip2: string } => {
    n++;
    return { alice: `alice${n}@example.com`, bob: `bob${n}@example.com`, ip: `192.0.2.${n}`, ip2: `198.51.100.${n}` };
  };

  test("free failures, then back-off 1 s, 2 s, 4 s … per account", async () => {
    const { limiter, clock } = await setup();
    const { alice, ip } = fresh();
    const keys = { account: alice, ip };
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await limiter.check(keys), { allowed: true });
      await limiter.recordFailure(keys);
    }
    assert.deepEqual(await limiter.check(keys), { allowed: true }, "five failures are free");
    for (const expected of [1, 2, 4, 8, 16]) {
      await limiter.recordFailure(keys);
      assert.deepEqual(await limiter.check(keys), { allowed: false, retryAfterSeconds: expected });
      clock.advance(expected - 0.5);
      assert.equal((await limiter.check(keys)).allowed, false, "still blocked just before the end");
      clock.advance(0.5);
      assert.deepEqual(await limiter.check(keys), { allowed: true }, "free again when the block ends");
    }
  });

  test("the block is capped, so a real user is never locked out for long", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.7" };
    for (let i = 0; i < 40; i++) {
      await limiter.recordFailure(keys);
      clock.advance(1);
    }
    const decision = await limiter.check(keys);
    assert.equal(decision.allowed, false);
    assert.ok(!decision.allowed && decision.retryAfterSeconds <= 900 && decision.retryAfterSeconds > 800);
    clock.advance(900);
    assert.deepEqual(await limiter.check(keys), { allowed: true });
  });

  test("another account from another address is never affected", async () => {
    const { limiter } = await setup();
    const { alice, bob, ip, ip2 } = fresh();
    for (let i = 0; i < 10; i++) await limiter.recordFailure({ account: alice, ip });
    assert.equal((await limiter.check({ account: alice, ip })).allowed, false);
    assert.equal(
      (await limiter.check({ account: alice, ip: ip2 })).allowed,
      false,
      "the account is blocked everywhere",
    );
    assert.deepEqual(await limiter.check({ account: bob, ip: ip2 }), { allowed: true });
    assert.deepEqual(
      await limiter.check({ account: bob, ip }),
      { allowed: true },
      "10 failures do not block the address",
    );
  });

  test("success clears the account counter, not the address counter", async () => {
    const { limiter, clock } = await setup();
    const { alice, ip } = fresh();
    for (let i = 0; i < 6; i++) await limiter.recordFailure({ account: alice, ip });
    assert.equal((await limiter.check({ account: alice, ip })).allowed, false);
    clock.advance(1);
    await limiter.recordSuccess({ account: alice, ip });
    for (let i = 0; i < 5; i++) await limiter.recordFailure({ account: alice, ip });
    assert.deepEqual(await limiter.check({ account: alice, ip }), { allowed: true }, "counting starts afresh");
  });

  test("per address: 20 free failures across accounts, then back-off for every account from it", async () => {
    const { limiter } = await setup();
    const { ip, ip2, bob } = fresh();
    for (let i = 0; i < 20; i++) await limiter.recordFailure({ account: `spray${n}-${i}@example.com`, ip });
    assert.deepEqual(await limiter.check({ account: bob, ip }), { allowed: true });
    await limiter.recordFailure({ account: `spray${n}-last@example.com`, ip });
    assert.deepEqual(await limiter.check({ account: bob, ip }), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(await limiter.check({ account: bob, ip: ip2 }), { allowed: true });
  });

  test("failures older than the window are forgotten", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.9" };
    for (let i = 0; i < 4; i++) await limiter.recordFailure(keys);
    clock.advance(900);
    for (let i = 0; i < 5; i++) await limiter.recordFailure(keys);
    assert.deepEqual(await limiter.check(keys), { allowed: true });
    await limiter.recordFailure(keys);
    assert.deepEqual(await limiter.check(keys), { allowed: false, retryAfterSeconds: 1 });
  });

  test("under a sustained attack the back-off keeps growing past the window", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.10" };
    let lastBlock = 0;
    // Each attempt waits out its block: 5 free + 1, 2, 4 … 512 s spans more than one window.
    for (let i = 0; i < 15; i++) {
      await limiter.recordFailure(keys);
      const decision = await limiter.check(keys);
      if (!decision.allowed) {
        lastBlock = decision.retryAfterSeconds;
        clock.advance(decision.retryAfterSeconds);
      }
    }
    assert.equal(lastBlock, 512);
  });

  test("emails are normalized: case, spaces and Unicode forms are one account", async () => {
    const { limiter } = await setup();
    const ip = fresh().ip;
    const other = `198.18.0.${n}`;
    for (let i = 0; i < 6; i++) await limiter.recordFailure({ account: ` Jos\u00e9${n}@Example.COM `, ip });
    assert.equal((await limiter.check({ account: `jose\u0301${n}@example.com`, ip: other })).allowed, false);
  });

  test("IPv6 addresses count by /64; IPv4-mapped addresses as IPv4", async () => {
    const { limiter } = await setup();
    for (let i = 0; i < 21; i++) {
      await limiter.recordFailure({ account: `v6-${n}-${i}@example.com`, ip: `2001:db8:${n}:1::${i.toString(16)}` });
    }
    assert.equal((await limiter.check({ account: "x@example.com", ip: `2001:db8:${n}:1:ffff::1` })).allowed, false);
    assert.equal((await limiter.check({ account: "x@example.com", ip: `2001:db8:${n}:2::1` })).allowed, true);
    const v4 = `192.0.2.${200 + (n % 50)}`;
    for (let i = 0; i < 21; i++)
      await limiter.recordFailure({ account: `m-${n}-${i}@example.com`, ip: `::ffff:${v4}` });
    assert.equal((await limiter.check({ account: "y@example.com", ip: v4 })).allowed, false);
  });
}
