import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, decodeJWT, signJWT } from "@sigil/jwt";
import { b64, claims, expectCode, hmacToken, keysFor, now, withSegment } from "./fixtures/engine.js";

const { signing, verification } = keysFor("HS256");
const verify = createVerifier({ algorithms: ["HS256"], keys: [verification], now, cache: false });
const good = signJWT(claims(), signing);
const [header, payload, signature] = good.split(".") as [string, string, string];

/** Both the verifier and decodeJWT refuse the token with this code. */
function refusedByBoth(token: string, code: "MALFORMED" | "TOKEN_TOO_LARGE"): string {
  expectCode(() => verify(token), code);
  return expectCode(() => decodeJWT(token), code).message;
}

describe("segments", () => {
  test("exactly three: 1, 2, 4 and 5 segments are MALFORMED", () => {
    assert.match(refusedByBoth(header, "MALFORMED"), /has 1$/);
    assert.match(refusedByBoth(`${header}.${payload}`, "MALFORMED"), /has 2$/);
    assert.match(refusedByBoth(`${good}.${signature}`, "MALFORMED"), /has 4$/);
    refusedByBoth(`${good}..`, "MALFORMED");
    refusedByBoth("", "MALFORMED");
    refusedByBoth("..", "MALFORMED");
    refusedByBoth(".".repeat(5000), "MALFORMED");
  });

  test("empty header or payload", () => {
    refusedByBoth(withSegment(good, 0, ""), "MALFORMED");
    // The verifier checks the signature before it reads the payload.
    expectCode(() => verify(withSegment(good, 1, "")), "SIGNATURE_INVALID");
    expectCode(() => decodeJWT(withSegment(good, 1, "")), "MALFORMED");
    refusedByBoth(hmacToken({ alg: "HS256", kid: "k-HS256" }, "", signing.key), "MALFORMED");
  });

  test("a token that is not a string", () => {
    for (const value of [undefined, null, 42, {}, Buffer.from(good)]) {
      expectCode(() => verify(value as unknown as string), "MALFORMED");
    }
  });
});

describe("strict base64url (RFC 7515 §2)", () => {
  const cases: [string, string][] = [
    ["padding on the signature", `${good}=`],
    ["padding on the payload", withSegment(good, 1, `${payload}=`)],
    ["double padding on the header", withSegment(good, 0, `${header}==`)],
    ["the + character", withSegment(good, 2, `${signature.slice(0, -2)}+A`)],
    ["the / character", withSegment(good, 0, `/${header.slice(1)}`)],
    ["a space", withSegment(good, 1, ` ${payload}`)],
    ["a newline", `${good}\n`],
    ["a tab inside", withSegment(good, 2, `${signature.slice(0, 10)}\t${signature.slice(10)}`)],
    ["a non-alphabet ASCII char", withSegment(good, 0, `${header.slice(0, -1)}*`)],
    ["a non-ASCII char whose low byte is in the alphabet", withSegment(good, 0, `\u0141${header.slice(1)}`)],
    ["an emoji", withSegment(good, 1, `${payload}\u{1F600}`)],
    ["a length of 4n+1", withSegment(good, 2, `${signature}AA`)],
  ];
  for (const [name, token] of cases) {
    test(name, () => {
      assert.notEqual(token, good);
      refusedByBoth(token, "MALFORMED");
    });
  }

  test("non-canonical trailing bits are refused (re-encoding must round-trip)", () => {
    // 32 bytes -> 43 chars, the last of which carries 2 unused bits.
    const last = signature.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const value = alphabet.indexOf(last);
    for (let low = 1; low < 4; low++) {
      const sibling = `${signature.slice(0, -1)}${alphabet[value | low]}`;
      assert.deepEqual(Buffer.from(sibling, "base64url"), Buffer.from(signature, "base64url"));
      const message = refusedByBoth(withSegment(good, 2, sibling), "MALFORMED");
      assert.match(message, /trailing bits/);
    }
  });

  test("messages say which segment and what is wrong", () => {
    assert.match(refusedByBoth(`${good}=`, "MALFORMED"), /signature segment has base64 padding/);
    assert.match(
      refusedByBoth(withSegment(good, 0, `+${header.slice(1)}`), "MALFORMED"),
      /header segment uses the base64 alphabet/,
    );
  });
});

describe("header and payload JSON", () => {
  const notObjects = ["[]", "null", "42", '"HS256"', "true", "{", '{"alg":"HS256"', "{'alg':'HS256'}", ""];
  for (const json of notObjects) {
    test(`header ${JSON.stringify(json)} is refused`, () => {
      refusedByBoth(withSegment(good, 0, b64(json)), "MALFORMED");
    });
    test(`payload ${JSON.stringify(json)} is refused, even when correctly signed`, () => {
      const token = hmacToken({ alg: "HS256", kid: "k-HS256" }, json, signing.key);
      refusedByBoth(token, "MALFORMED");
    });
  }

  test("non-UTF-8 bytes are refused, not replaced with U+FFFD", () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","exp":1}')]);
    const input = `${b64({ alg: "HS256", kid: "k-HS256" })}.${bytes.toString("base64url")}`;
    const token = hmacToken({ alg: "HS256", kid: "k-HS256" }, "x", signing.key).replace(/^[^.]+\.[^.]+/, input);
    expectCode(() => decodeJWT(token), "MALFORMED");
    const header = Buffer.concat([Buffer.from('{"alg":"HS256","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    refusedByBoth(withSegment(good, 0, header.toString("base64url")), "MALFORMED");
  });

  test("a payload signed correctly but not UTF-8 is refused by the verifier", () => {
    const bytes = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const input = `${b64({ alg: "HS256", kid: "k-HS256" })}.${bytes.toString("base64url")}`;
    const token = `${input}.${createHmac("sha256", signing.key).update(input).digest("base64url")}`;
    expectCode(() => verify(token), "MALFORMED");
  });
});

describe("size limit, before any decoding", () => {
  test("the default is 8192 bytes", () => {
    const big = signJWT(claims({ data: "x".repeat(9000) }), signing);
    const error = refusedByBoth(big, "TOKEN_TOO_LARGE");
    assert.match(error, /over the limit of 8192/);
    expectCode(() => verify(`${"A".repeat(9000)}`), "TOKEN_TOO_LARGE");
  });

  test("maxTokenSize changes it", () => {
    const small = createVerifier({ algorithms: ["HS256"], keys: [verification], now, maxTokenSize: 100 });
    expectCode(() => small(good), "TOKEN_TOO_LARGE");
    const large = createVerifier({ algorithms: ["HS256"], keys: [verification], now, maxTokenSize: 20_000 });
    assert.equal(large(signJWT(claims({ data: "x".repeat(9000) }), signing)).payload.sub, "user-1");
    expectCode(() => decodeJWT(good, { maxTokenSize: 10 }), "TOKEN_TOO_LARGE");
  });
});

describe("decodeJWT", () => {
  test("returns header, payload and signature without verifying", () => {
    const decoded = decodeJWT(good);
    assert.deepEqual(decoded.header, { alg: "HS256", typ: "JWT", kid: "k-HS256" });
    assert.equal(decoded.payload.sub, "user-1");
    assert.deepEqual(decoded.signature, Buffer.from(signature, "base64url"));
  });

  test("shows unsigned and critical-header tokens so that tools can warn about them", () => {
    const unsigned = decodeJWT(`${b64({ alg: "none" })}.${b64({ sub: "x" })}.`);
    assert.equal(unsigned.header.alg, "none");
    assert.equal(unsigned.signature.length, 0);
    assert.deepEqual(decodeJWT(`${b64({ alg: "HS256", crit: ["x"] })}.${b64({})}.AA`).header.crit, ["x"]);
  });
});
