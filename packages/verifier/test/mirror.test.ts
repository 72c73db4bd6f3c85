import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { JWTPayload } from "@sigil/jwt";
import { createRevocationMirror } from "../src/index.js";
import { FakeTime } from "./fixtures/fake-time.js";

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const nowS = T0 / 1000;

describe("revocation mirror", () => {
  test("a revoked session is refused by sid, other sessions are not", () => {
    const mirror = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    mirror.add({ id: 1, kind: "session", sid: "s1", exp: nowS + 900 });
    assert.equal(mirror.isRevoked({ sid: "s1", sub: "u1", iat: nowS }), "session");
    assert.equal(mirror.isRevoked({ sid: "s2", sub: "u1", iat: nowS }), null);
    assert.equal(mirror.isRevoked({ sub: "u1", iat: nowS }), null);
    assert.equal(mirror.revokedSessions, 1);
  });

  test("user_before voids tokens issued before the cut-off, and tokens without a numeric iat", () => {
    const mirror = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    mirror.add({ id: 1, kind: "user_before", sub: "u1", before: nowS, exp: nowS + 900 });
    assert.equal(mirror.isRevoked({ sub: "u1", iat: nowS - 1 }), "user");
    assert.equal(mirror.isRevoked({ sub: "u1", iat: nowS }), null);
    assert.equal(mirror.isRevoked({ sub: "u1" }), "user");
    assert.equal(mirror.isRevoked({ sub: "u1", iat: "0" } as unknown as JWTPayload), "user");
    assert.equal(mirror.isRevoked({ sub: "u2", iat: 0 }), null);
  });

  test("several cut-offs for one user keep the latest", () => {
    const mirror = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    mirror.add({ id: 1, kind: "user_before", sub: "u1", before: nowS + 10, exp: nowS + 900 });
    mirror.add({ id: 2, kind: "user_before", sub: "u1", before: nowS, exp: nowS + 800 });
    assert.equal(mirror.isRevoked({ sub: "u1", iat: nowS + 5 }), "user");
    assert.equal(mirror.revokedUsers, 1);
  });

  test("replace() swaps in a snapshot", () => {
    const mirror = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    mirror.add({ id: 1, kind: "session", sid: "old", exp: nowS + 900 });
    mirror.replace([{ id: 5, kind: "session", sid: "new", exp: nowS + 900 }]);
    assert.equal(mirror.isRevoked({ sid: "old" }), null);
    assert.equal(mirror.isRevoked({ sid: "new" }), "session");
  });

  test("expired entries are swept in bounded batches", () => {
    let now = T0;
    const mirror = createRevocationMirror({ now: () => now, sweepIntervalMs: 0, sweepBatch: 100 });
    for (let i = 0; i < 250; i++)
      mirror.add({ id: i, kind: "session", sid: `s${i}`, exp: nowS + (i < 200 ? 60 : 900) });
    mirror.add({ id: 999, kind: "user_before", sub: "u1", before: nowS, exp: nowS + 60 });
    assert.equal(mirror.sweep(), 0);
    now = T0 + 61_000;
    const dropped: number[] = [];
    for (let i = 0; i < 6; i++) dropped.push(mirror.sweep());
    assert.ok(dropped.every((n) => n <= 100));
    assert.equal(mirror.revokedSessions, 50);
    assert.equal(mirror.revokedUsers, 0);
    assert.equal(mirror.isRevoked({ sid: "s249" }), "session");
  });

  test("the sweep runs on its timer every sweepIntervalMs, until close()", async () => {
    const time = new FakeTime(T0);
    const mirror = createRevocationMirror({ now: time.clock, timers: time.timers, sweepIntervalMs: 5000 });
    mirror.add({ id: 1, kind: "session", sid: "short", exp: nowS + 7 });
    mirror.add({ id: 2, kind: "session", sid: "long", exp: nowS + 60 });
    await time.advance(5000);
    assert.equal(mirror.revokedSessions, 2, "nothing expired at the first sweep");
    await time.advance(4999);
    assert.equal(mirror.revokedSessions, 2, "expired, but no sweep yet");
    await time.advance(1);
    assert.equal(mirror.revokedSessions, 1, "swept at 10 s");
    mirror.close();
    assert.deepEqual(time.pendingDelays(), []);
    await time.advance(60_000);
    assert.equal(mirror.revokedSessions, 1, "no sweep after close()");
  });

  test("memory: 100,000 revoked sessions fit in well under 32 MB", (t) => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // Realistic session ids: 128 random bits in base64url (22 characters), built before measuring.
    const sids = Array.from({ length: 100_000 }, () => randomBytes(16).toString("base64url"));
    gc();
    const before = process.memoryUsage().heapUsed;
    const mirror = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    for (const [i, sid] of sids.entries()) mirror.add({ id: i, kind: "session", sid, exp: nowS + 900 + (i % 600) });
    gc();
    const used = process.memoryUsage().heapUsed - before;
    t.diagnostic(
      `mirror of 100,000 sessions: ${(used / 1024 / 1024).toFixed(1)} MB heap, ${Math.round(used / 100_000)} bytes/entry (sid strings shared with the test's array)`,
    );
    assert.equal(mirror.revokedSessions, 100_000);
    assert.ok(used < 32 * 1024 * 1024, `used ${used} bytes`);

    // Counting the sid strings too (the mirror's own copies when they arrive from the feed's JSON).
    gc();
    const beforeOwned = process.memoryUsage().heapUsed;
    const owned = createRevocationMirror({ now: () => T0, sweepIntervalMs: 0 });
    for (let i = 0; i < 100_000; i++) {
      owned.add({ id: i, kind: "session", sid: randomBytes(16).toString("base64url"), exp: nowS + 900 });
    }
    gc();
    const usedOwned = process.memoryUsage().heapUsed - beforeOwned;
    t.diagnostic(
      `with sid strings: ${(usedOwned / 1024 / 1024).toFixed(1)} MB, ${Math.round(usedOwned / 100_000)} bytes/entry`,
    );
    assert.ok(usedOwned < 32 * 1024 * 1024, `used ${usedOwned} bytes`);
    assert.equal(owned.revokedSessions, 100_000);
    mirror.close();
    owned.close();
  });
});
