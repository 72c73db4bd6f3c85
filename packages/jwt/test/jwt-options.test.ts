import assert from "node:assert/strict";
import { createSecretKey, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createVerifier, type VerifierOptions } from "@sigil/jwt";
import { expectCode, keysFor } from "./fixtures/engine.js";

const hs = keysFor("HS256").verification;
const ed = keysFor("EdDSA").verification;

function rejects(options: unknown, option: string): void {
  const error = expectCode(() => createVerifier(options as VerifierOptions), "OPTIONS_INVALID");
  assert.equal(error.details.option, option, error.message);
  assert.ok(error.message.startsWith(option), error.message);
}

describe("createVerifier validates its options once and names the bad one", () => {
  test("algorithms: required, non-empty, supported, never none", () => {
    rejects({ keys: [hs] }, "algorithms");
    rejects({ algorithms: [], keys: [hs] }, "algorithms");
    rejects({ algorithms: "HS256", keys: [hs] }, "algorithms");
    rejects({ algorithms: ["HS256", "none"], keys: [hs] }, "algorithms[1]");
    rejects({ algorithms: ["NONE"], keys: [hs] }, "algorithms[0]");
    rejects({ algorithms: ["None"], keys: [hs] }, "algorithms[0]");
    rejects({ algorithms: ["hs256"], keys: [hs] }, "algorithms[0]");
    rejects({ algorithms: ["HS256", 5], keys: [hs] }, "algorithms[1]");
  });

  test("keys: a non-empty list of usable keys, or a key set", () => {
    rejects({ algorithms: ["HS256"] }, "keys");
    rejects({ algorithms: ["HS256"], keys: [] }, "keys");
    rejects({ algorithms: ["HS256"], keys: [null] }, "keys[0]");
    rejects({ algorithms: ["HS256"], keys: [hs, { kid: "x", alg: "HS256", key: "secret" }] }, "keys[1]");
    rejects({ algorithms: ["HS256"], keys: [{ kid: "x", alg: "RS256", key: hs.key }] }, "keys[0]");
    rejects({ algorithms: ["HS256"], keys: [ed] }, "keys");
    rejects({ algorithms: ["HS256"], keys: { find: () => [] } }, "keys");
    assert.equal(typeof createVerifier({ algorithms: ["HS256"], keys: { version: 0, find: () => [] } }), "function");
  });

  test("claims and clock options", () => {
    const base = { algorithms: ["HS256"], keys: [hs] };
    rejects({ ...base, issuer: "" }, "issuer[0]");
    rejects({ ...base, issuer: [] }, "issuer");
    rejects({ ...base, audience: ["api", 3] }, "audience[1]");
    rejects({ ...base, subject: 1 }, "subject");
    rejects({ ...base, typ: "" }, "typ");
    rejects({ ...base, clockTolerance: -1 }, "clockTolerance");
    rejects({ ...base, clockTolerance: Number.NaN }, "clockTolerance");
    rejects({ ...base, maxTokenAge: 0 }, "maxTokenAge");
    rejects({ ...base, requiredClaims: 5 }, "requiredClaims");
    rejects({ ...base, requiredClaims: ["sid", 1] }, "requiredClaims[1]");
    rejects({ ...base, requireExpiry: "no" }, "requireExpiry");
    rejects({ ...base, maxTokenSize: 1.5 }, "maxTokenSize");
    rejects({ ...base, cache: true }, "cache");
    rejects({ ...base, cache: { maxEntries: 0 } }, "cache.maxEntries");
    rejects({ ...base, now: 5 }, "now");
  });

  test("unknown options are refused: a misspelt check must not be skipped silently", () => {
    rejects({ algorithms: ["HS256"], keys: [hs], audiance: "api" }, "audiance");
    rejects({ algorithms: ["HS256"], keys: [hs], algorithm: "HS256" }, "algorithm");
  });

  test("a verifier whose clock breaks refuses rather than skipping time checks", () => {
    const key = { kid: "k", alg: "HS256" as const, key: createSecretKey(randomBytes(32)) };
    const verify = createVerifier({ algorithms: ["HS256"], keys: [key], now: () => Number.NaN });
    expectCode(() => verify("a.b.c"), "OPTIONS_INVALID");
  });
});
