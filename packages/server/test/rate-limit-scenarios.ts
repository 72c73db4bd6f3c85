// Scenarios shared by the memory (rate-limit.test.ts) and database (rate-limit-db.int.test.ts)
// stores: both must behave identically, since one rule (abuse/backoff.ts) decides for both.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AttemptStore,
  type LoginAttemptDecision,
  type LoginAttemptKeys,
  LoginRateLimiter,
  RegistrationLimiter,
} from "../src/abuse/index.js";
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

/** A decision without its callbacks, for deepEqual. */
function shape(decision: LoginAttemptDecision): { allowed: boolean; retryAfterSeconds?: number } {
  return decision.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
}

export function rateLimitScenarios(makeStore: () => AttemptStore | Promise<AttemptStore>): void {
  async function setup(): Promise<{ limiter: LoginRateLimiter; store: AttemptStore; clock: TestClock }> {
    const clock = new TestClock();
    const store = await makeStore();
    return { limiter: new LoginRateLimiter(store, { rateLimit: RATE_LIMIT, now: clock.now }), store, clock };
  }
  let n = 0;
  /** Unique keys per test, so scenarios sharing one database do not interfere. */
  const fresh = (): { alice: string; bob: string; ip: string; ip2: string } => {
    n++;
    return { alice: `alice${n}@example.com`, bob: `bob${n}@example.com`, ip: `192.0.2.${n}`, ip2: `198.51.100.${n}` };
  };
  /** One wrong password: reserved, evaluated, failed. */
  async function fail(limiter: LoginRateLimiter, keys: LoginAttemptKeys): Promise<LoginAttemptDecision> {
    const attempt = await limiter.reserve(keys);
    if (attempt.allowed) await attempt.failed();
    return attempt;
  }

  test("the allowance, then back-off 1 s, 2 s, 4 s … per account", async () => {
    const { limiter, clock } = await setup();
    const { alice, ip } = fresh();
    const keys = { account: alice, ip };
    for (let i = 0; i < 5; i++) assert.equal((await fail(limiter, keys)).allowed, true, "five attempts go ahead");
    for (const expected of [1, 2, 4, 8, 16]) {
      assert.deepEqual(shape(await limiter.reserve(keys)), { allowed: false, retryAfterSeconds: expected });
      clock.advance(expected - 0.5);
      assert.equal((await limiter.reserve(keys)).allowed, false, "still blocked just before the end");
      clock.advance(0.5);
      assert.equal((await fail(limiter, keys)).allowed, true, "one more attempt when the block ends");
    }
  });

  test("concurrent guesses: no more are evaluated than the allowance, the rest are refused", async () => {
    const { limiter } = await setup();
    const { alice, ip } = fresh();
    const decisions = await Promise.all(Array.from({ length: 30 }, () => limiter.reserve({ account: alice, ip })));
    const allowed = decisions.filter((decision) => decision.allowed);
    assert.equal(allowed.length, 5);
    for (const refused of decisions.filter((decision) => !decision.allowed)) {
      assert.deepEqual(shape(refused), { allowed: false, retryAfterSeconds: 1 });
    }
  });

  test("the block is capped, so a real user is never locked out for long", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.7" };
    for (let i = 0; i < 40; i++) {
      const decision = await fail(limiter, keys);
      clock.advance(decision.allowed ? 1 : decision.retryAfterSeconds);
    }
    const decision = await limiter.reserve(keys);
    assert.equal(decision.allowed, false);
    assert.ok(!decision.allowed && decision.retryAfterSeconds <= 900 && decision.retryAfterSeconds > 800);
    clock.advance(900);
    assert.equal((await limiter.reserve(keys)).allowed, true);
  });

  test("the account is blocked everywhere, but another account from another address never is", async () => {
    const { limiter } = await setup();
    const { alice, bob, ip, ip2 } = fresh();
    for (let i = 0; i < 10; i++) await fail(limiter, { account: alice, ip });
    assert.equal((await limiter.reserve({ account: alice, ip })).allowed, false);
    assert.equal((await limiter.reserve({ account: alice, ip: ip2 })).allowed, false, "blocked from anywhere");
    assert.equal((await limiter.reserve({ account: bob, ip: ip2 })).allowed, true);
    assert.equal((await limiter.reserve({ account: bob, ip })).allowed, true, "five attempts do not block the address");
  });

  test("a known device is counted on its own: failures elsewhere cannot keep it out", async () => {
    const { limiter } = await setup();
    const { alice, ip, ip2 } = fresh();
    for (let i = 0; i < 8; i++) await fail(limiter, { account: alice, ip });
    assert.equal((await limiter.reserve({ account: alice, ip: ip2 })).allowed, false, "an unknown device is blocked");
    const device = `device-${n}`;
    const known = await limiter.reserve({ account: alice, ip: ip2, device });
    assert.equal(known.allowed, true, "the known device is not");
    if (known.allowed) await known.succeeded();
    assert.equal(
      (await limiter.reserve({ account: alice, ip: ip2 })).allowed,
      false,
      "its success did not lift the account's block",
    );
    // The device has its own allowance: a thief of the device credential still meets back-off.
    for (let i = 0; i < 5; i++) assert.equal((await fail(limiter, { account: alice, ip: ip2, device })).allowed, true);
    assert.equal((await limiter.reserve({ account: alice, ip: ip2, device })).allowed, false);
  });

  test("a success starts the account afresh and gives the address its attempt back", async () => {
    const { limiter, clock } = await setup();
    const { alice, ip } = fresh();
    for (let i = 0; i < 5; i++) await fail(limiter, { account: alice, ip });
    clock.advance(1);
    const right = await limiter.reserve({ account: alice, ip });
    assert.ok(right.allowed);
    await right.succeeded();
    for (let i = 0; i < 4; i++) await fail(limiter, { account: alice, ip });
    assert.equal((await limiter.reserve({ account: alice, ip })).allowed, true, "counting started afresh");
  });

  test("an attempt abandoned before it was evaluated is given back to both keys", async () => {
    const { limiter } = await setup();
    const { alice, ip } = fresh();
    for (let i = 0; i < 4; i++) await fail(limiter, { account: alice, ip });
    for (let i = 0; i < 3; i++) {
      const attempt = await limiter.reserve({ account: alice, ip });
      assert.ok(attempt.allowed);
      await attempt.abandoned();
    }
    assert.equal((await fail(limiter, { account: alice, ip })).allowed, true, "the fifth attempt is still free");
    assert.equal((await limiter.reserve({ account: alice, ip })).allowed, false);
  });

  test("per address: its allowance across accounts, then back-off for every account from it", async () => {
    const { limiter } = await setup();
    const { ip, ip2, bob } = fresh();
    for (let i = 0; i < 20; i++) await fail(limiter, { account: `spray${n}-${i}@example.com`, ip });
    assert.deepEqual(shape(await limiter.reserve({ account: bob, ip })), { allowed: false, retryAfterSeconds: 1 });
    assert.equal((await limiter.reserve({ account: bob, ip: ip2 })).allowed, true);
  });

  test("attempts older than the window are forgotten", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.9" };
    for (let i = 0; i < 4; i++) await fail(limiter, keys);
    clock.advance(900);
    for (let i = 0; i < 5; i++) assert.equal((await fail(limiter, keys)).allowed, true);
    assert.deepEqual(shape(await limiter.reserve(keys)), { allowed: false, retryAfterSeconds: 1 });
  });

  test("under a sustained attack the back-off keeps growing past the window", async () => {
    const { limiter, clock } = await setup();
    const keys = { account: fresh().alice, ip: "203.0.113.10" };
    let lastBlock = 0;
    let attempts = 0;
    // Each attempt waits out its block: 5 free, then 1, 2, 4 … 256 s of blocks, and the counter
    // is never forgotten, so the 14th attempt earns 512 s.
    while (attempts < 14) {
      const decision = await fail(limiter, keys);
      if (decision.allowed) attempts++;
      else clock.advance(decision.retryAfterSeconds);
    }
    const decision = await limiter.reserve(keys);
    if (!decision.allowed) lastBlock = decision.retryAfterSeconds;
    assert.equal(lastBlock, 512);
  });

  test("emails are normalized: case, spaces and Unicode forms are one account", async () => {
    const { limiter } = await setup();
    const ip = fresh().ip;
    const other = `198.18.0.${n}`;
    for (let i = 0; i < 6; i++) await fail(limiter, { account: ` Jos\u00e9${n}@Example.COM `, ip });
    assert.equal((await limiter.reserve({ account: `jose\u0301${n}@example.com`, ip: other })).allowed, false);
  });

  test("IPv6 addresses count by /64; IPv4-mapped addresses as IPv4", async () => {
    const { limiter } = await setup();
    for (let i = 0; i < 21; i++) {
      await fail(limiter, { account: `v6-${n}-${i}@example.com`, ip: `2001:db8:${n}:1::${i.toString(16)}` });
    }
    assert.equal((await limiter.reserve({ account: "x@example.com", ip: `2001:db8:${n}:1:ffff::1` })).allowed, false);
    assert.equal((await limiter.reserve({ account: "x@example.com", ip: `2001:db8:${n}:2::1` })).allowed, true);
    const v4 = `192.0.2.${200 + (n % 50)}`;
    for (let i = 0; i < 21; i++) await fail(limiter, { account: `m-${n}-${i}@example.com`, ip: `::ffff:${v4}` });
    assert.equal((await limiter.reserve({ account: "y@example.com", ip: v4 })).allowed, false);
  });

  test("registrations: a quota per address and one overall, until the window ends", async () => {
    const clock = new TestClock();
    const store = await makeStore();
    // The overall quota is shared by every test on this store: a fresh limiter key space per test.
    const limits = { perAddress: 3, overall: 5, windowSeconds: 3600 };
    const registrations = new RegistrationLimiter(store, { limits, now: clock.now });
    const { ip, ip2 } = fresh();
    const base = await registrations.reserve(`198.19.${n}.1`);
    assert.equal(base.allowed, true);
    for (let i = 0; i < 2; i++) assert.equal((await registrations.reserve(ip)).allowed, true);
    const third = await registrations.reserve(ip);
    assert.equal(third.allowed, true, "the third of three");
    assert.deepEqual(await registrations.reserve(ip), { allowed: false, retryAfterSeconds: 3600 });
    assert.deepEqual(await registrations.reserve(ip2), { allowed: true });
    assert.equal((await registrations.reserve(ip2)).allowed, false, "five in all: the overall quota is used up");
    clock.advance(3600);
    assert.equal((await registrations.reserve(ip)).allowed, true, "a new window");
  });
}
