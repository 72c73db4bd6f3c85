import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { iqrPct, median, pairedRatio, quantile, spreadPct, summarize } from "./stats.js";

describe("bench statistics", () => {
  test("refuse empty and non-finite samples rather than report NaN", () => {
    assert.throws(() => median([]), RangeError);
    assert.throws(() => median([1, Number.NaN]), RangeError);
    assert.throws(() => spreadPct([1, Number.POSITIVE_INFINITY]), RangeError);
    assert.throws(() => quantile([1, 2], 1.5), RangeError);
  });

  test("median of odd and even counts, independent of input order", () => {
    assert.equal(median([7]), 7);
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([100, 1, 2, 3, 4]), 3, "one outlier does not move the median");
  });

  test("quantile interpolates between closest ranks", () => {
    assert.equal(quantile([10, 20, 30, 40, 50], 0), 10);
    assert.equal(quantile([10, 20, 30, 40, 50], 1), 50);
    assert.equal(quantile([10, 20, 30, 40, 50], 0.25), 20);
    assert.equal(quantile([10, 20, 30, 40], 0.25), 17.5);
  });

  test("spread is (max - min) / median in percent; IQR likewise", () => {
    assert.equal(spreadPct([95, 100, 105]), 10);
    assert.equal(spreadPct([100, 100, 100]), 0);
    assert.equal(iqrPct([90, 95, 100, 105, 110]), 10);
  });

  test("summarize does not reorder the caller's array", () => {
    const samples = [3, 1, 2];
    const s = summarize(samples);
    assert.deepEqual(samples, [3, 1, 2]);
    assert.deepEqual(
      { median: s.median, min: s.min, max: s.max, count: s.count },
      { median: 2, min: 1, max: 3, count: 3 },
    );
    assert.equal(s.spreadPct, 100);
  });

  test("pairedRatio cancels a slow round that the ratio of medians would not", () => {
    // Round 2 ran at a third of the speed for both cases; per round b is always 2x a.
    const a = [100, 33, 100, 100, 100];
    const b = [200, 66, 200, 200, 200];
    assert.equal(pairedRatio(b, a), 2);
    assert.equal(pairedRatio([3, 9, 100], [1, 3, 1]), 3, "one disturbed pair does not move the median");
    assert.throws(() => pairedRatio([1, 2], [1]), RangeError);
  });
});
