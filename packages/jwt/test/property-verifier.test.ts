import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createVerifier, decodeJWT, JWTError, signJWT } from "@sigil/jwt";
import fc from "fast-check";
import { decodeBase64url } from "../src/lib/base64url.js";
import { claims, keysFor, now } from "./fixtures/engine.js";

const hs = keysFor("HS256");
const ed = keysFor("EdDSA");
const verify = createVerifier({ algorithms: ["HS256", "EdDSA"], keys: [hs.verification, ed.verification], now });
const valid = [signJWT(claims(), hs.signing), signJWT(claims({ aud: ["a", "b"] }), ed.signing)];
const RUNS = { numRuns: 300, seed: 4242 };

/** The verifier refuses `token` with a JWTError; anything else (acceptance or another error) fails. */
function refused(token: string): boolean {
  try {
    verify(token);
  } catch (error) {
    if (error instanceof JWTError) return true;
    throw error;
  }
  return false;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const tokenChars = fc.constantFrom(...`${ALPHABET}.=+/ \u0141\u00e9*`.split(""));

describe("property: random input", () => {
  test("random strings are refused with a JWTError, never a crash", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "grapheme" }), refused), RUNS);
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: tokenChars }), refused), RUNS);
  });

  test("three random base64url segments are refused", () => {
    const segment = fc.string({ maxLength: 120, unit: fc.constantFrom(...ALPHABET.split("")) });
    fc.assert(
      fc.property(segment, segment, segment, (a, b, c) => refused(`${a}.${b}.${c}`)),
      RUNS,
    );
  });

  test("random JSON header and payload with a random signature are refused", () => {
    const json = fc.jsonValue({ maxDepth: 2 });
    const arbitraryToken = fc
      .tuple(json, json, fc.uint8Array({ maxLength: 80 }))
      .map(
        ([h, p, s]) =>
          `${Buffer.from(JSON.stringify(h)).toString("base64url")}.${Buffer.from(JSON.stringify(p)).toString("base64url")}.${Buffer.from(s).toString("base64url")}`,
      );
    fc.assert(fc.property(arbitraryToken, refused), RUNS);
  });
});

describe("property: mutated valid tokens", () => {
  test("the originals verify", () => {
    for (const token of valid) assert.equal(verify(token).payload.sub, "user-1");
  });

  const original = fc.constantFrom(...valid);

  test("a flipped bit in any decoded segment is refused", () => {
    const flip = fc.tuple(original, fc.nat(2), fc.nat(), fc.integer({ min: 0, max: 7 }));
    fc.assert(
      fc.property(flip, ([token, index, at, bit]) => {
        const parts = token.split(".");
        const bytes = Buffer.from(parts[index]!, "base64url");
        bytes[at % bytes.length]! ^= 1 << bit;
        parts[index] = bytes.toString("base64url");
        return refused(parts.join("."));
      }),
      RUNS,
    );
  });

  test("a substituted, inserted or deleted character is refused", () => {
    const edit = fc.tuple(original, fc.nat(), tokenChars, fc.constantFrom("substitute", "insert", "delete"));
    fc.assert(
      fc.property(edit, ([token, position, char, kind]) => {
        const at = position % token.length;
        const mutated =
          kind === "substitute"
            ? token.slice(0, at) + char + token.slice(at + 1)
            : kind === "insert"
              ? token.slice(0, at) + char + token.slice(at)
              : token.slice(0, at) + token.slice(at + 1);
        fc.pre(mutated !== token);
        return refused(mutated);
      }),
      RUNS,
    );
  });

  test("swapped segments, truncation and segments from the other token are refused", () => {
    const [a, b] = valid.map((t) => t.split(".")) as [string[], string[]];
    const candidates = [
      `${a[1]}.${a[0]}.${a[2]}`,
      `${a[0]}.${a[2]}.${a[1]}`,
      `${a[0]}.${b[1]}.${a[2]}`,
      `${b[0]}.${a[1]}.${b[2]}`,
      `${a[0]}.${a[1]}.${b[2]}`,
    ];
    for (const token of candidates) assert.ok(refused(token), token);
    fc.assert(
      fc.property(original, fc.nat(), (token, cut) => refused(token.slice(0, cut % token.length))),
      RUNS,
    );
  });
});

describe("property: strict base64url", () => {
  test("a string decodes exactly when it is canonical base64url (re-encoding round-trips)", () => {
    const text = fc.string({ maxLength: 40, unit: fc.constantFrom(...`${ALPHABET}=+/ .\u0141\u0100`.split("")) });
    fc.assert(
      fc.property(text, (s) => {
        const canonical = /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, "base64url").toString("base64url") === s;
        const decoded = decodeBase64url(s);
        assert.equal(decoded !== undefined, canonical, JSON.stringify(s));
        if (decoded !== undefined) assert.equal(decoded.toString("base64url"), s);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  test("decodeJWT never throws anything but JWTError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: tokenChars }), (s) => {
        try {
          decodeJWT(s);
        } catch (error) {
          if (!(error instanceof JWTError)) throw error;
        }
      }),
      RUNS,
    );
  });
});
