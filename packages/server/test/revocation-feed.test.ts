import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { formatFeedEvent, type RevocationEntry, snapshotEvent } from "@sigil/protocol";
import { HubTimers } from "../src/revocation-feed/hub-timers.js";
import { FeedSubscriber, RevocationSequencer, RevocationState } from "../src/revocation-feed/index.js";
import { FakeTime } from "../src/testing/index.js";

const session = (id: number, sid: string, exp = 2_000_000_000): RevocationEntry => ({ id, kind: "session", sid, exp });
const userBefore = (id: number, sub: string, before: number, exp = 2_000_000_000): RevocationEntry => ({
  id,
  kind: "user_before",
  sub,
  before,
  exp,
});

describe("RevocationState", () => {
  test("a revoked session voids every token with its sid", () => {
    const state = new RevocationState();
    state.add(session(1, "s1"));
    assert.equal(state.isRevoked({ sub: "u", sid: "s1", iat: 1 }), "session");
    assert.equal(state.isRevoked({ sub: "u", sid: "s2", iat: 1 }), null);
    assert.equal(state.isRevoked({ sub: "u", iat: 1 }), null);
  });

  test("user_before voids tokens with iat < before only; the latest cut-off wins", () => {
    const state = new RevocationState();
    state.add(userBefore(1, "u", 100));
    assert.equal(state.isRevoked({ sub: "u", iat: 99 }), "user");
    assert.equal(state.isRevoked({ sub: "u", iat: 100 }), null);
    state.add(userBefore(2, "u", 50));
    assert.equal(state.isRevoked({ sub: "u", iat: 99 }), "user", "an older cut-off does not undo a newer one");
    assert.equal(state.isRevoked({ sub: "u", iat: Number.NaN }), "user", "no usable iat: refused");
  });

  test("entriesAfter is in id order even after a late id; minId; snapshot JSON", () => {
    const state = new RevocationState();
    state.add(session(5, "a"));
    state.add(session(7, "b"));
    state.add(session(6, "late"));
    assert.deepEqual(
      state.entriesAfter(5).map((held) => held.entry.id),
      [6, 7],
    );
    assert.equal(state.minId(), 5);
    assert.equal(state.add(session(6, "late")), false, "an id is held once");
    const snapshot = JSON.parse(state.snapshotArray());
    assert.deepEqual(
      snapshot.map((entry: RevocationEntry) => entry.id),
      [5, 6, 7],
    );
  });

  test("sweep drops expired entries and their index members", () => {
    const state = new RevocationState();
    state.add(session(1, "old", 100));
    state.add(session(2, "new", 300));
    state.add(userBefore(3, "u", 50, 100));
    assert.equal(state.sweep(200), 2);
    assert.equal(state.size, 1);
    assert.equal(state.isRevoked({ sub: "x", sid: "old", iat: 1 }), null);
    assert.equal(state.isRevoked({ sub: "u", iat: 1 }), null);
    assert.equal(state.isRevoked({ sub: "x", sid: "new", iat: 1 }), "session");
    assert.equal(JSON.parse(state.snapshotArray()).length, 1, "the cached snapshot follows the sweep");
  });
});

describe("RevocationSequencer", () => {
  const options = { gapWaitMs: 100, lateWindowMs: 1000 };

  test("contiguous ids are released at once, in order; duplicates and old ids ignored", () => {
    const sequencer = new RevocationSequencer({ watermark: 10, ...options });
    sequencer.offer([session(12, "b"), session(11, "a"), session(9, "old")]);
    const { released, waitMs } = sequencer.release(0);
    assert.deepEqual(
      released.map((entry) => entry.id),
      [11, 12],
    );
    assert.equal(waitMs, undefined);
    assert.equal(sequencer.watermark, 12);
    sequencer.offer([session(12, "b")]);
    assert.deepEqual(sequencer.release(1).released, []);
  });

  test("a gap holds later ids back until it fills", () => {
    const sequencer = new RevocationSequencer({ watermark: 0, ...options });
    sequencer.offer([session(2, "b")]);
    assert.deepEqual(sequencer.release(0), { released: [], waitMs: 100 });
    assert.deepEqual(sequencer.release(60).waitMs, 40);
    sequencer.offer([session(1, "a"), session(2, "b")]);
    assert.deepEqual(
      sequencer.release(70).released.map((entry) => entry.id),
      [1, 2],
    );
    assert.deepEqual(sequencer.watchedIds(70), [], "a filled gap is not watched");
  });

  test("a gap older than gapWaitMs is presumed rolled back, then watched for a late commit", () => {
    const sequencer = new RevocationSequencer({ watermark: 0, ...options });
    sequencer.offer([session(3, "c")]);
    sequencer.release(0);
    assert.deepEqual(
      sequencer.release(100).released.map((entry) => entry.id),
      [3],
    );
    assert.deepEqual(sequencer.watchedIds(100), [1, 2]);
    assert.equal(sequencer.takeLate(2), true);
    assert.equal(sequencer.takeLate(2), false);
    assert.deepEqual(sequencer.watchedIds(2000), [], "forgotten after the late window");
  });

  test("the watch list is bounded", () => {
    const sequencer = new RevocationSequencer({ watermark: 0, ...options, maxWatchedGaps: 10 });
    sequencer.watch(
      Array.from({ length: 100 }, (_, i) => i + 1),
      0,
    );
    assert.equal(sequencer.watchedIds(0).length, 10);
  });
});

describe("HubTimers", () => {
  test("a periodic task is re-armed only when its run has finished; a named one-shot replaces its predecessor; clear() stops all", async () => {
    const time = new FakeTime(0);
    const timers = new HubTimers(time.timers);
    const runs: number[] = [];
    let finish: (() => void) | undefined;
    timers.every(1000, async () => {
      runs.push(time.now);
      if (runs.length === 2) await new Promise<void>((resolve) => (finish = resolve));
    });
    await time.advance(2000);
    assert.deepEqual(runs, [1000, 2000]);
    await time.advance(5000);
    assert.deepEqual(runs, [1000, 2000], "a run still going: no overlapping run");
    finish?.();
    await time.until(() => time.pendingDelays().length === 1, "re-armed after the run");
    await time.advance(1000);
    assert.deepEqual(runs, [1000, 2000, 8000]);

    const fired: string[] = [];
    timers.once("gap", 500, () => fired.push("first"));
    timers.once("gap", 300, () => fired.push("second"));
    await time.advance(500);
    assert.deepEqual(fired, ["second"]);

    timers.once("gap", 100, () => fired.push("third"));
    timers.clear();
    assert.deepEqual(time.pendingDelays(), []);
    timers.every(10, async () => {
      runs.push(-1);
    });
    await time.advance(10_000);
    assert.deepEqual(fired, ["second"]);
    assert.equal(runs.includes(-1), false, "nothing runs once cleared");
  });
});

describe("FeedSubscriber back-pressure", () => {
  /** A socket-like sink whose reader never reads: every write piles up in writableLength. */
  function stalledSink(): PassThrough {
    return new PassThrough({ highWaterMark: 1024 });
  }

  test("a subscriber that does not read is cut off at the limit, not buffered without bound", () => {
    const sink = stalledSink();
    const ends: string[] = [];
    const subscriber = new FeedSubscriber(sink, 0, {
      maxBufferedBytes: 64 * 1024,
      onEnd: (_subscriber, reason) => ends.push(reason),
    });
    const event = formatFeedEvent("revocation", 1, JSON.stringify(session(1, "x".repeat(200))));
    let writes = 0;
    while (!subscriber.ended && writes < 10_000) {
      subscriber.write(event);
      writes++;
    }
    assert.equal(subscriber.ended, true);
    assert.deepEqual(ends, ["slow"]);
    // The limit, plus what the stream itself absorbed downstream (its readable buffer), plus one event.
    assert.ok(writes * event.length <= 64 * 1024 + 8 * 1024, `${writes} writes before the cut`);
    assert.equal(sink.destroyed, true);
    subscriber.write(event); // after the cut: ignored, no throw
  });

  test("the snapshot may exceed the limit by its own size; the next write over the limit cuts", () => {
    const sink = stalledSink();
    const ends: string[] = [];
    const subscriber = new FeedSubscriber(sink, 0, {
      maxBufferedBytes: 1024,
      onEnd: (_s, reason) => ends.push(reason),
    });
    subscriber.writeLarge(snapshotEvent(1, `["${"y".repeat(100_000)}"]`, 0));
    assert.equal(subscriber.ended, false);
    subscriber.write("x".repeat(2000));
    assert.equal(subscriber.ended, true);
    assert.deepEqual(ends, ["slow"]);
  });

  test("a reader that keeps up is never cut off", async () => {
    const sink = new PassThrough({ highWaterMark: 1024 });
    sink.resume(); // reads everything
    const subscriber = new FeedSubscriber(sink, 0, { maxBufferedBytes: 4096, onEnd: () => {} });
    for (let i = 0; i < 200; i++) {
      subscriber.write(formatFeedEvent("heartbeat", undefined, '{"now":1}'));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(subscriber.ended, false);
  });

  test("end() and a closed sink each end the subscriber once", () => {
    const reasons: string[] = [];
    const sink = stalledSink();
    const subscriber = new FeedSubscriber(sink, 0, {
      maxBufferedBytes: 1024,
      onEnd: (_s, reason) => reasons.push(reason),
    });
    subscriber.end();
    subscriber.end();
    sink.destroy();
    assert.deepEqual(reasons, ["shutdown"]);
  });
});
