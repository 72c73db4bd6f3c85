import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findSensitiveClaims, looksLikeCardNumber, passesLuhn } from "../src/lib/sensitive.js";

describe("sensitive-claim heuristics", () => {
  test("Luhn", () => {
    assert.equal(passesLuhn("4111111111111111"), true);
    assert.equal(passesLuhn("79927398713"), true);
    assert.equal(passesLuhn("79927398710"), false);
  });
  test("card numbers: length, network digit, Luhn, separators", () => {
    assert.equal(looksLikeCardNumber("5555 5555 5555 4444"), true);
    assert.equal(looksLikeCardNumber("3782-822463-10005"), true);
    assert.equal(looksLikeCardNumber("4111111111111112"), false);
    assert.equal(looksLikeCardNumber("0000000000000000"), false);
    assert.equal(looksLikeCardNumber("411111"), false);
  });
  test("walks nested objects and arrays, bounded", () => {
    const findings = findSensitiveClaims({ a: [{ b: { mail: "x" } }], deep: nest(50) });
    assert.deepEqual(
      findings.map((f) => f.path),
      ["a[0].b.mail"],
    );
  });
  test("null and boolean values under suspicious names are not findings", () => {
    assert.deepEqual(findSensitiveClaims({ email: null, phone_number_verified: false }), []);
  });
});

function nest(depth: number): object {
  let value: object = { password: "hunter2" };
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
}
