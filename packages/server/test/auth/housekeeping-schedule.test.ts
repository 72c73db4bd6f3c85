// scheduleHousekeeping on fake time: a round every interval, never two at once, none after stop().
// The database is a stand-in that counts the statements and can hold one back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { scheduleHousekeeping } from "../../src/auth/housekeeping.js";
import type { Database, QueryResult } from "../../src/store/database.js";
import { FakeTime, settle } from "../../src/testing/index.js";

/** A database whose DELETEs each count a statement; `hold()` parks the next one until released. */
function countingDatabase(): { db: Database; statements: () => number; hold: () => () => void } {
  let statements = 0;
  let held: Promise<void> | undefined;
  const query = async <Row>(): Promise<QueryResult<Row>> => {
    statements++;
    await held;
    return { rows: [], rowCount: 0 };
  };
  const db: Database = {
    kind: "pglite",
    description: "a counting stand-in",
    query,
    transaction: (work) => work({ query }),
    listen: async () => async () => {},
    close: async () => {},
  };
  return {
    db,
    statements: () => statements,
    hold: () => {
      let release!: () => void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        held = undefined;
        release();
      };
    },
  };
}

test("housekeeping runs a round every interval, one at a time, and none after stop()", async () => {
  const time = new FakeTime(0);
  const { db, statements, hold } = countingDatabase();
  const errors: unknown[] = [];
  const housekeeping = scheduleHousekeeping(db, {
    intervalMs: 600_000,
    now: time.clock,
    timers: time.timers,
    onError: (error) => errors.push(error),
  });
  await time.advance(599_999);
  assert.equal(statements(), 0, "no round before the interval");
  await time.advance(1);
  const perRound = statements();
  assert.ok(perRound > 0, "a round at the interval");
  await time.advance(600_000);
  assert.equal(statements(), 2 * perRound);

  // A round that has not finished arms no next one: rounds never overlap.
  const release = hold();
  await time.advance(600_000);
  const during = statements();
  assert.deepEqual(time.pendingDelays(), [], "the next round is armed only when this one is over");
  await time.advance(3 * 600_000);
  assert.equal(statements(), during);
  release();
  await time.until(() => time.pendingDelays().length === 1, "the next round armed");
  assert.deepEqual(time.pendingDelays(), [600_000]);

  // stop() waits for a round in progress, then nothing runs any more.
  const releaseLast = hold();
  await time.advance(600_000);
  let stopResolved = false;
  const stopped = housekeeping.stop().then(() => {
    stopResolved = true;
  });
  await settle();
  assert.equal(stopResolved, false, "stop() waits for the round in progress");
  releaseLast();
  await stopped;
  assert.deepEqual(time.pendingDelays(), [], "and arms no next round");
  const total = statements();
  await time.advance(10 * 600_000);
  assert.equal(statements(), total);
  assert.deepEqual(errors, []);
});
