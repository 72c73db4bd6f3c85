import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isOneLineError, JWT_IO_TOKEN, run, unsignedToken } from "./helpers.js";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const now = NOW / 1000;
const ESC = "\u001b[";

async function warningCodes(header: object, payload: object): Promise<string[]> {
  const result = await run(["decode", "--json", unsignedToken(header, payload)], { now: NOW });
  assert.equal(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { warnings: { code: string; message: string }[] };
  return parsed.warnings.map((w) => w.code);
}

const goodHeader = { alg: "EdDSA", typ: "at+jwt", kid: "k1" };
const goodPayload = { sub: "u1", iat: now - 60, exp: now + 840 };

describe("sigil decode: failures", () => {
  test("not a token: one line, exit 1, no stack", async () => {
    const result = await run(["decode", "hello"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not a JWT/);
  });

  test("two segments only", async () => {
    const result = await run(["decode", "eyJhbGciOiJIUzI1NiJ9.e30"]);
    assert.ok(isOneLineError(result), result.stderr);
  });

  test("unknown flag: usage error, exit 2", async () => {
    const result = await run(["decode", "--verbose", JWT_IO_TOKEN]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option --verbose/);
  });

  test("two tokens: usage error", async () => {
    const result = await run(["decode", JWT_IO_TOKEN, JWT_IO_TOKEN]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 2);
  });

  test("empty stdin: usage error", async () => {
    const result = await run(["decode"], { stdin: "  \n" });
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /no token given/);
  });

  test("interactive stdin is not waited on", async () => {
    const result = await run(["decode"], { stdinTTY: true });
    assert.ok(isOneLineError(result), result.stderr);
  });
});

describe("sigil decode: output", () => {
  test("the jwt.io example: parts, dates, no-exp warning, signature NOT checked", async () => {
    const result = await run(["decode", JWT_IO_TOKEN], { now: NOW });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /Header\n\{\n {2}"alg": "HS256",\n {2}"typ": "JWT"\n\}/);
    assert.match(result.stdout, /"name": "John Doe"/);
    assert.match(result.stdout, /iat\s+2018-01-18T01:30:22Z\s+issued 8.8 years ago/);
    assert.match(result.stdout, /no exp claim: the token never expires/);
    assert.match(result.stdout, /HS256 is a shared-secret algorithm: every service that can verify can also forge/);
    assert.match(result.stdout, /Signature NOT checked/);
    assert.doesNotMatch(result.stdout, /^valid|signature (is )?(valid|ok|verified)/im);
    assert.ok(!result.stdout.includes(ESC), "no colour when stdout is not a terminal");
  });

  test("reads stdin, trims whitespace and a Bearer prefix", async () => {
    for (const input of [`${JWT_IO_TOKEN}\n`, `Bearer ${JWT_IO_TOKEN}`, `  bearer   ${JWT_IO_TOKEN}  `]) {
      const viaStdin = await run(["decode", "--json"], { stdin: input, now: NOW });
      assert.equal(viaStdin.code, 0, viaStdin.stderr);
      assert.equal(JSON.parse(viaStdin.stdout).payload.sub, "1234567890");
    }
    const dash = await run(["decode", "-", "--json"], { stdin: JWT_IO_TOKEN, now: NOW });
    assert.equal(dash.code, 0, dash.stderr);
  });

  test("relative times: expires in / expired ago / not valid for another", async () => {
    const future = await run(["decode", unsignedToken(goodHeader, { ...goodPayload, exp: now + 14 * 60 })], {
      now: NOW,
    });
    assert.match(future.stdout, /exp\s+2026-11-24T12:14:00Z\s+expires in 14 min/);
    const past = await run(["decode", unsignedToken(goodHeader, { iat: now - 9 * 3600, exp: now - 8 * 3600 })], {
      now: NOW,
    });
    assert.match(past.stdout, /exp\s+2026-11-24T04:00:00Z\s+expired 8 h ago/);
    const nbf = await run(["decode", unsignedToken(goodHeader, { ...goodPayload, nbf: now + 120 })], { now: NOW });
    assert.match(nbf.stdout, /nbf\s+2026-11-24T12:02:00Z\s+not valid for another 2 min/);
    const auth = await run(["decode", unsignedToken(goodHeader, { ...goodPayload, auth_time: now - 3600 })], {
      now: NOW,
    });
    assert.match(auth.stdout, /auth_time\s+2026-11-24T11:00:00Z\s+1 h ago/);
  });

  test("--json: header, payload, warnings, signatureChecked false", async () => {
    const result = await run(["decode", "--json", JWT_IO_TOKEN], { now: NOW });
    const parsed = JSON.parse(result.stdout);
    assert.deepEqual(parsed.header, { alg: "HS256", typ: "JWT" });
    assert.deepEqual(parsed.payload, { sub: "1234567890", name: "John Doe", iat: 1516239022 });
    assert.equal(parsed.signatureChecked, false);
    assert.deepEqual(parsed.warnings.map((w: { code: string }) => w.code).sort(), ["NO_EXP", "SHARED_SECRET_ALG"]);
  });

  test("colour only on a terminal, and never with NO_COLOR", async () => {
    const tty = await run(["decode", JWT_IO_TOKEN], { tty: true, now: NOW });
    assert.ok(tty.stdout.includes(ESC));
    const noColor = await run(["decode", JWT_IO_TOKEN], { tty: true, env: { NO_COLOR: "1" }, now: NOW });
    assert.ok(!noColor.stdout.includes(ESC));
  });
});

describe("sigil decode: each warning", () => {
  test("a well-designed token has none", async () => {
    assert.deepEqual(await warningCodes(goodHeader, goodPayload), []);
  });
  test("no exp", async () => {
    assert.deepEqual(await warningCodes(goodHeader, { sub: "u1", iat: now }), ["NO_EXP"]);
  });
  test("lifetime over 1 h", async () => {
    const result = await run(["decode", unsignedToken(goodHeader, { iat: now, exp: now + 7 * 86400 })], { now: NOW });
    assert.match(result.stdout, /lifetime is 7 d \(exp - iat\)/);
    assert.deepEqual(await warningCodes(goodHeader, { iat: now, exp: now + 3600 }), []);
    assert.deepEqual(await warningCodes(goodHeader, { iat: now, exp: now + 3601 }), ["LONG_LIFETIME"]);
  });
  test("alg none, in any case", async () => {
    for (const alg of ["none", "None", "NONE"]) {
      assert.ok((await warningCodes({ ...goodHeader, alg }, goodPayload)).includes("ALG_NONE"), alg);
    }
  });
  test("an alg none token with an empty signature is shown", async () => {
    const result = await run(["decode", unsignedToken({ alg: "none" }, goodPayload, "")], { now: NOW });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /alg is none: the token is unsigned/);
  });
  test("HS* algorithms", async () => {
    for (const alg of ["HS256", "HS384", "HS512"]) {
      assert.deepEqual(await warningCodes({ ...goodHeader, alg }, goodPayload), ["SHARED_SECRET_ALG"]);
    }
  });
  test("typ missing", async () => {
    assert.deepEqual(await warningCodes({ alg: "EdDSA" }, goodPayload), ["NO_TYP"]);
  });
  test("a token over the verifier's size limit is still shown, with a warning", async () => {
    const big = await warningCodes(goodHeader, { ...goodPayload, roles: "r".repeat(9000) });
    assert.ok(big.includes("TOKEN_LARGE"));
  });
  test("time claims that are not numbers, or milliseconds", async () => {
    assert.ok((await warningCodes(goodHeader, { ...goodPayload, exp: "tomorrow" })).includes("TIME_NOT_NUMERIC"));
    assert.ok((await warningCodes(goodHeader, { ...goodPayload, exp: NOW + 60_000 })).includes("TIME_IN_MILLISECONDS"));
  });
  test("personal and secret data, by claim name", async () => {
    for (const claim of [
      "email",
      "phone_number",
      "password",
      "pwd",
      "client_secret",
      "ssn",
      "credit_card",
      "cardNumber",
      "address",
      "dob",
      "birthdate",
    ]) {
      const result = await run(["decode", unsignedToken(goodHeader, { ...goodPayload, [claim]: "x" })], { now: NOW });
      assert.match(result.stdout, new RegExp(`claim "${claim}" looks like`), claim);
    }
  });
  test("personal data by value: email, phone, card number passing Luhn; nested claims too", async () => {
    const result = await run(
      [
        "decode",
        unsignedToken(goodHeader, {
          ...goodPayload,
          contact: "jane@example.com",
          tel_home: "+44 20 7946 0958",
          note: { pay: "4111 1111 1111 1111" },
        }),
      ],
      { now: NOW },
    );
    assert.match(result.stdout, /claim "contact" looks like an email address/);
    assert.match(result.stdout, /claim "tel_home" looks like a phone number/);
    assert.match(result.stdout, /claim "note.pay" looks like a card number/);
  });
  test("no false alarms on ids, booleans, card-length numbers failing Luhn", async () => {
    assert.deepEqual(
      await warningCodes(goodHeader, {
        ...goodPayload,
        sub: "1234567890",
        email_verified: true,
        order: "4111111111111112",
        scope: "read write",
        iss: "https://auth.example.com",
      }),
      [],
    );
  });
});
