import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeJWT, generateSecret } from "@sigil/jwt";
import { isOneLineError, run, tempDir, writeIn } from "./helpers.js";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const dir = await tempDir();
const keygen = await run(["keygen"]);
const keyFile = await writeIn(dir, "key.jwk", keygen.stdout);

describe("sigil sign", () => {
  test("claims argument and flags; default ttl 15 min; verifies", async () => {
    const result = await run(
      [
        "sign",
        '{"scope":"read","sub":"ignored"}',
        "--key",
        keyFile,
        "--sub",
        "alice",
        "--iss",
        "https://i",
        "--aud",
        "api",
        "--typ",
        "at+jwt",
      ],
      { now: NOW },
    );
    assert.equal(result.code, 0, result.stderr);
    const token = result.stdout.trim();
    const { header, payload } = decodeJWT(token);
    assert.equal(header.alg, "EdDSA");
    assert.equal(header.typ, "at+jwt");
    assert.equal(payload.sub, "alice");
    assert.equal(payload.scope, "read");
    assert.equal(payload.aud, "api");
    assert.equal(payload.iat, NOW / 1000);
    assert.equal(payload.exp, NOW / 1000 + 900);
    const verified = await run(
      ["verify", token, "--key", keyFile, "--aud", "api", "--iss", "https://i", "--typ", "at+jwt"],
      {
        now: NOW,
      },
    );
    assert.equal(verified.code, 0, verified.stdout);
  });

  test("claims from stdin; --ttl units", async () => {
    for (const [ttl, seconds] of [
      ["90", 90],
      ["30s", 30],
      ["15m", 900],
      ["1h", 3600],
      ["7d", 604800],
    ] as const) {
      const result = await run(["sign", "--key", keyFile, "--ttl", ttl], { stdin: '{"sub":"bob"}', now: NOW });
      assert.equal(result.code, 0, result.stderr);
      const { payload } = decodeJWT(result.stdout.trim());
      assert.equal(payload.exp, NOW / 1000 + seconds, ttl);
      assert.equal(payload.sub, "bob");
    }
  });

  test("several --aud give an array", async () => {
    const result = await run(["sign", "{}", "--key", keyFile, "--aud", "a", "--aud", "b"]);
    assert.deepEqual(decodeJWT(result.stdout.trim()).payload.aud, ["a", "b"]);
  });

  test("an explicit exp in the claims is kept (to make expired tokens for tests)", async () => {
    const claims = `{"iat":${NOW / 1000 - 960},"exp":${NOW / 1000 - 60}}`;
    const result = await run(["sign", claims, "--key", keyFile], { now: NOW });
    assert.equal(result.code, 0, result.stderr);
    const token = result.stdout.trim();
    assert.equal(decodeJWT(token).payload.exp, NOW / 1000 - 60);
    const verified = await run(["verify", token, "--key", keyFile], { now: NOW });
    assert.equal(verified.code, 1);
    assert.match(verified.stdout, /^error TOKEN_EXPIRED/);
  });

  test("an exp not after iat or nbf is refused, naming both: such a token is never valid", async () => {
    const at = (seconds: number): string => new Date((NOW / 1000 + seconds) * 1000).toISOString().replace(".000", "");
    const cases: [string, string[], RegExp][] = [
      // iat defaults to now: the usual slip when making an "expired" token.
      [
        `{"exp":${NOW / 1000 - 60}}`,
        [],
        new RegExp(
          `exp ${at(-60)} is not after iat ${at(0)} \\(now\\): the token would never be valid \\(for an expired token give an earlier iat too: '\\{"iat":${NOW / 1000 - 960},"exp":${NOW / 1000 - 60}\\}'\\)\n$`,
        ),
      ],
      [`{"iat":${NOW / 1000},"exp":${NOW / 1000 - 1}}`, [], new RegExp(`exp ${at(-1)} is not after iat ${at(0)}: `)],
      [`{"exp":${NOW / 1000}}`, [], new RegExp(`exp ${at(0)} is not after iat ${at(0)} \\(now\\)`)],
      [`{"nbf":${NOW / 1000 + 3600}}`, ["--ttl", "15m"], new RegExp(`exp ${at(900)} is not after nbf ${at(3600)}: `)],
    ];
    for (const [claims, extra, pattern] of cases) {
      const result = await run(["sign", claims, "--key", keyFile, ...extra], { now: NOW });
      assert.ok(isOneLineError(result), `${claims}: ${result.stderr}`);
      assert.equal(result.code, 2);
      assert.match(result.stderr, pattern);
    }
  });

  test("HMAC with --secret-env, then verify", async () => {
    const env = { SIGNING_SECRET: generateSecret() };
    const signed = await run(["sign", '{"sub":"c"}', "--secret-env", "SIGNING_SECRET", "--alg", "HS256"], { env });
    assert.equal(signed.code, 0, signed.stderr);
    const verified = await run(["verify", signed.stdout.trim(), "--secret-env", "SIGNING_SECRET", "--alg", "HS256"], {
      env,
    });
    assert.equal(verified.code, 0, verified.stdout);
  });

  test("refuses a weak secret", async () => {
    const result = await run(["sign", "{}", "--secret-env", "S", "--alg", "HS256"], {
      env: { S: "your-256-bit-secret" },
    });
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /refusing to sign with the secret in S: .*publicly known example/);
  });

  test("bad input: one line each", async () => {
    const cases: [string[], RegExp, string?][] = [
      [["sign", "{not json", "--key", keyFile], /claims argument is not valid JSON/],
      [["sign", "[1,2]", "--key", keyFile], /must be a JSON object/],
      [["sign", "--key", keyFile], /claims on stdin is not valid JSON/, "nope"],
      [["sign", "{}"], /exactly one of --key FILE and --secret-env VAR/],
      [["sign", "{}", "--key", `${dir}/missing.jwk`], /cannot read key file .*no such file/],
      [["sign", "{}", "--key", keyFile, "--ttl", "0"], /longer than 0 seconds/],
      [["sign", "{}", "--key", keyFile, "--ttl", "forever"], /--ttl must be seconds/],
      [["sign", `{"exp":1}`, "--key", keyFile, "--ttl", "1h"], /not both/],
      [["sign", "{}", "--secret-env", "S"], /needs --alg/],
      [["sign", "{}", "--key", keyFile, "--alg", "ES256"], /cannot use the key/],
      [["sign", "{}", "--key", keyFile, "--bogus"], /unknown option --bogus/],
    ];
    for (const [argv, pattern, stdin] of cases) {
      const result = await run(argv, stdin === undefined ? {} : { stdin });
      assert.ok(isOneLineError(result), `${argv.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
    }
  });

  test("a public key cannot sign", async () => {
    const publicFile = await writeIn(dir, "public.jwk", keygen.stderr.split("public JWK: ")[1] ?? "");
    const result = await run(["sign", "{}", "--key", publicFile]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /holds a public key/);
  });
});
