import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import { DUMMY_HASH, parseArgon2Hash } from "../src/passwords/argon2-params.js";
import {
  ARGON2_PARAMS,
  checkPasswordPolicy,
  createPasswordHasher,
  HashQueueFullError,
  needsRehash,
  UnsupportedHashError,
} from "../src/passwords/index.js";

const hasher = createPasswordHasher({ concurrency: 2, queueLimit: 16 });

describe("password hasher", () => {
  test("unsupported hash formats are an error, not a silent false", async () => {
    for (const stored of ["", "plaintext", "$1$abc$def", "$argon2id$v=19$m=19456", "$2b$10$short"]) {
      await assert.rejects(hasher.verify(stored, "whatever"), (error: unknown) => {
        assert.ok(error instanceof UnsupportedHashError);
        assert.equal(error.code, "HASH_UNSUPPORTED");
        assert.ok(stored === "" || !error.message.includes(stored));
        return true;
      });
    }
  });

  test("argon2id with the OWASP parameters, and verify", async () => {
    const stored = await hasher.hash("correct horse battery staple");
    assert.match(stored, /^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    assert.equal(await hasher.verify(stored, "correct horse battery staple"), true);
    assert.equal(await hasher.verify(stored, "correct horse battery stapler"), false);
    assert.equal(needsRehash(stored), false);
    assert.equal(hasher.needsRehash(stored), false);
    assert.deepEqual(ARGON2_PARAMS, { memoryCost: 12_288, timeCost: 3, parallelism: 1 });
  });

  test("two hashes of one password differ (random salt)", async () => {
    const [a, b] = await Promise.all([hasher.hash("same password"), hasher.hash("same password")]);
    assert.notEqual(a, b);
  });

  test("passwords are NFC-normalized: composed and decomposed forms match", async () => {
    const stored = await hasher.hash("caf\u00e9 au lait");
    assert.equal(await hasher.verify(stored, "cafe\u0301 au lait"), true);
  });

  test("bcrypt hashes of imported users verify ($2a$, $2b$, $2y$) and need a rehash", async () => {
    const made = await bcryptHash("hunter2 imported", 4);
    assert.match(made, /^\$2b\$04\$/);
    for (const prefix of ["$2a$", "$2b$", "$2y$"]) {
      const stored = prefix + made.slice(4);
      assert.equal(await hasher.verify(stored, "hunter2 imported"), true, prefix);
      assert.equal(await hasher.verify(stored, "hunter3 imported"), false, prefix);
      assert.equal(needsRehash(stored), true);
    }
  });

  test("needsRehash: argon2id below every OWASP set, other variants and versions", () => {
    const tail = "$c29tZXNhbHQxMjM0NTY$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg";
    // Each of OWASP's equal sets, and stronger ones, stay as they are.
    for (const [m, t] of [
      [47104, 1],
      [19456, 2],
      [12288, 3],
      [9216, 4],
      [7168, 5],
      [65536, 3],
    ]) {
      assert.equal(needsRehash(`$argon2id$v=19$m=${m},t=${t},p=1${tail}`), false, `m=${m},t=${t}`);
    }
    assert.equal(needsRehash(`$argon2id$v=19$m=65536,t=3,p=4${tail}`), false);
    // Just below a set on either axis, with no other set met.
    assert.equal(needsRehash(`$argon2id$v=19$m=4096,t=2,p=1${tail}`), true);
    assert.equal(needsRehash(`$argon2id$v=19$m=19456,t=1,p=1${tail}`), true);
    assert.equal(needsRehash(`$argon2id$v=19$m=12287,t=3,p=1${tail}`), true);
    assert.equal(needsRehash(`$argon2id$v=19$m=7167,t=9,p=1${tail}`), true);
    assert.equal(needsRehash(`$argon2i$v=19$m=19456,t=2,p=1${tail}`), true);
    assert.equal(needsRehash(`$argon2id$v=16$m=19456,t=2,p=1${tail}`), true);
    assert.equal(needsRehash("garbage"), true);
  });

  test("the dummy hash (unknown-email logins) has the current parameters, so it costs what a real verify costs", () => {
    const params = parseArgon2Hash(DUMMY_HASH);
    assert.ok(params);
    assert.deepEqual(
      { memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism },
      { ...ARGON2_PARAMS },
    );
    assert.equal(params.variant, "argon2id");
  });

  // That it costs what a wrong password costs is measured by bench:server (its unknown-email
  // target): here, that it is a real verify — a hashing slot taken until the thread answers.
  test("verifyDummy does a real argon2 verify on a hashing thread and is always false", async () => {
    const stored = await hasher.hash("a real one");
    const single = createPasswordHasher({ concurrency: 1, queueLimit: 4 });
    try {
      const dummy = single.verifyDummy("anything");
      assert.equal(single.active, 1, "it holds the one hashing slot");
      const queued = single.verify(stored, "a real one");
      assert.equal(single.queueDepth, 1, "and a real verify waits behind it");
      assert.equal(await dummy, false);
      assert.equal(await queued, true);
      assert.equal(single.active, 0);
    } finally {
      await single.close();
    }
  });

  test("a full queue refuses work with HashQueueFullError and a Retry-After", async () => {
    const small = createPasswordHasher({ concurrency: 1, queueLimit: 2 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => small.verifyDummy("flood")));
    const refused = results.filter((r) => r.status === "rejected");
    const done = results.filter((r) => r.status === "fulfilled");
    assert.equal(done.length, 3, "one running + two waiting");
    assert.equal(refused.length, 5);
    for (const result of refused) {
      const error = (result as PromiseRejectedResult).reason;
      assert.ok(error instanceof HashQueueFullError);
      assert.equal(error.code, "HASH_QUEUE_FULL");
      assert.ok(Number.isInteger(error.retryAfterSeconds) && error.retryAfterSeconds >= 1);
    }
    assert.equal(small.queueDepth, 0);
    assert.equal(small.active, 0);
  });

  test("concurrency is bounded and queueDepth reports the waiting jobs", async () => {
    const bounded = createPasswordHasher({ concurrency: 1, queueLimit: 10 });
    const pending = Array.from({ length: 4 }, () => bounded.verifyDummy("x"));
    assert.equal(bounded.active, 1);
    assert.equal(bounded.queueDepth, 3);
    await Promise.all(pending);
    assert.equal(bounded.active, 0);
    assert.equal(bounded.queueDepth, 0);
  });

  test("hashing threads run at a lowered OS priority (Linux nice 10)", {
    skip: process.platform !== "linux",
  }, async () => {
    const niceOf = (tid: string): number => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // nice is field 19 of proc(5): the 17th after the command name's closing ")".
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const own = createPasswordHasher({ concurrency: 2, queueLimit: 4 });
    try {
      await Promise.all([own.verifyDummy("a"), own.verifyDummy("b")]);
      const nices = readdirSync("/proc/self/task").map(niceOf);
      assert.equal(niceOf(String(process.pid)), 0, "the event loop keeps its priority");
      assert.ok(nices.filter((nice) => nice === 10).length >= 2, `thread nice values: ${nices.join(",")}`);
    } finally {
      await own.close();
    }
  });

  test("close() stops the threads: a running job fails, later calls fail, close is idempotent", async () => {
    const closing = createPasswordHasher({ concurrency: 1, queueLimit: 4 });
    const stored = await closing.hash("before close");
    const running = closing.verify(stored, "before close");
    await closing.close();
    await assert.rejects(running, /exited/);
    await assert.rejects(closing.verify(stored, "before close"), /closed/);
    await assert.rejects(closing.hash("after close"), /closed/);
    await closing.close();
    assert.equal(closing.active, 0);
  });

  test("options are validated", () => {
    assert.throws(() => createPasswordHasher({ concurrency: 0, queueLimit: 1 }), RangeError);
    assert.throws(() => createPasswordHasher({ concurrency: 1, queueLimit: -1 }), RangeError);
  });
});

describe("password policy (NIST SP 800-63B)", () => {
  const limits = { minLength: 8, maxLength: 128 };

  test("refusals name the rule", () => {
    assert.equal(checkPasswordPolicy("", limits)?.rule, "empty");
    assert.equal(checkPasswordPolicy("        ", limits)?.rule, "empty");
    assert.equal(checkPasswordPolicy("short1!", limits)?.rule, "too_short");
    assert.equal(checkPasswordPolicy("x".repeat(129), limits)?.rule, "too_long");
    assert.equal(checkPasswordPolicy("x".repeat(100_000), limits)?.rule, "too_long");
    assert.equal(checkPasswordPolicy("bad\0password", limits)?.rule, "invalid_characters");
    assert.equal(checkPasswordPolicy("lone \uD800 surrogate", limits)?.rule, "invalid_characters");
  });

  test("a password holding the account's email name is refused (NIST SP 800-63B context-specific words)", () => {
    const options = { minLength: 8, maxLength: 128, email: "marguerite@example.com" };
    for (const password of ["marguerite", "Marguerite2026!", "my-MARGUERITE-pass"]) {
      assert.equal(checkPasswordPolicy(password, options)?.rule, "contains_email", password);
    }
    assert.equal(checkPasswordPolicy("correct horse battery staple", options), null);
    // A very short name is too common a string to forbid.
    assert.equal(checkPasswordPolicy("a long alpine passphrase", { ...options, email: "al@example.com" }), null);
  });

  test("common passwords are refused case-insensitively", () => {
    for (const common of [
      "password",
      "Password123",
      "PASSWORD1",
      "12345678",
      "qwertyuiop",
      "iloveyou",
      "Football1",
      "letmein123",
    ]) {
      const violation = checkPasswordPolicy(common, limits);
      assert.equal(violation?.rule, "common", common);
      if (common !== "password") assert.ok(!violation.message.toLowerCase().includes(common.toLowerCase()));
    }
  });

  test("length counts code points after NFC, not UTF-16 units or bytes", () => {
    // 7 emoji are 14 UTF-16 units but 7 characters.
    assert.equal(checkPasswordPolicy("😀😀😀😀😀😀😀", limits)?.rule, "too_short");
    assert.equal(checkPasswordPolicy("😀😀😀😀😀😀😀😀", limits), null);
    // "é" decomposed is 2 code points, composed 1: 7 letters stay 7 after NFC.
    assert.equal(checkPasswordPolicy("cafe\u0301abc", limits)?.rule, "too_short");
    assert.equal(checkPasswordPolicy("é".repeat(128), limits), null);
  });

  test("no composition rules: a long lower-case passphrase is fine", () => {
    assert.equal(checkPasswordPolicy("correct horse battery staple", limits), null);
    assert.equal(checkPasswordPolicy("tr0ub4dor&3x", limits), null);
    assert.equal(checkPasswordPolicy("x".repeat(200), { minLength: 8, maxLength: 256 }), null);
    assert.equal(checkPasswordPolicy("twelve chars", { minLength: 13, maxLength: 128 })?.rule, "too_short");
  });

  test("the bundled list is large, lower-case and 8+ characters", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../data/common-passwords.txt", import.meta.url), "utf8");
    const entries = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    assert.ok(entries.length >= 1000, `${entries.length} entries`);
    for (const entry of entries) {
      assert.equal(entry, entry.toLowerCase().trim());
      assert.ok([...entry].length >= 8, entry);
    }
    assert.equal(new Set(entries).size, entries.length, "no duplicates");
  });
});
