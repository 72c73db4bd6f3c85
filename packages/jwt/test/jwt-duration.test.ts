import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeTime, formatDuration } from "@sigil/jwt";
import { NOW, NOW_MS } from "./fixtures/engine.js";

describe("formatDuration", () => {
  test("the largest unit and the next one when not zero", () => {
    assert.equal(formatDuration(8 * 3600 + 3 * 60 + 3), "8 h 3 min");
    assert.equal(formatDuration(14 * 60), "14 min");
    assert.equal(formatDuration(14 * 60 + 20), "14 min 20 s");
    assert.equal(formatDuration(45), "45 s");
    assert.equal(formatDuration(3 * 86_400 + 2 * 3600 + 59), "3 d 2 h");
    assert.equal(formatDuration(8 * 3600 + 20), "8 h");
    assert.equal(formatDuration(0), "0 s");
    assert.equal(formatDuration(0.4), "0 s");
    assert.equal(formatDuration(-90), "1 min 30 s");
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), "an unbounded time");
    assert.equal(formatDuration(1e12), "over 1000 years");
  });
});

describe("describeTime", () => {
  test("ISO time and how far from now", () => {
    assert.equal(describeTime(NOW - 29_043, NOW_MS), "2026-11-24T09:11:00Z (8 h 4 min ago)");
    assert.equal(describeTime(NOW + 14 * 60, NOW_MS), "2026-11-24T17:29:03Z (in 14 min)");
    assert.equal(describeTime(NOW, NOW_MS), "2026-11-24T17:15:03Z (now)");
  });

  test("never throws on numbers a token may carry", () => {
    assert.equal(describeTime(1e300, NOW_MS), "1e+300 (in over 1000 years)");
    assert.equal(describeTime(Number.NaN, NOW_MS), "NaN");
  });
});
