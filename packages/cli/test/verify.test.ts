import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createSecretKey,
  exportJWK,
  exportPEM,
  generateKeyPair,
  generateSecret,
  type JWTPayload,
  type KeyPair,
  signJWT,
} from "@sigil/jwt";
import { isOneLineError, run, tempDir, writeIn } from "./helpers.js";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const frozen = (): number => NOW;

const dir = await tempDir();
const pair: KeyPair = await generateKeyPair("EdDSA");
const other: KeyPair = await generateKeyPair("ES256");
const pemFile = await writeIn(dir, "public.pem", exportPEM(pair.publicKey));
const privateJWKFile = await writeIn(
  dir,
  "private.jwk",
  JSON.stringify(exportJWK(pair.privateKey, { alg: "EdDSA", includePrivate: true })),
);
const jwksFile = await writeIn(
  dir,
  "jwks.json",
  JSON.stringify({
    keys: [exportJWK(other.publicKey, { alg: "ES256" }), exportJWK(pair.publicKey, { alg: "EdDSA" })],
  }),
);
const token = signJWT({ sub: "alice", iss: "https://auth.test", aud: "api" }, pair.signing, {
  expiresIn: 900,
  typ: "at+jwt",
  now: frozen,
});

function sign(payload: JWTPayload, options: { expiresIn?: number; now?: number; typ?: string } = {}): string {
  return signJWT(payload, pair.signing, {
    ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
    typ: options.typ ?? "at+jwt",
    now: () => options.now ?? NOW,
  });
}

describe("sigil verify: accepted tokens (exit 0)", () => {
  test("EdDSA public key in a PEM file", async () => {
    const result = await run(["verify", token, "--key", pemFile], { now: NOW });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^valid: signature and claims checked \\(alg EdDSA, key id "${pair.kid}"\\)`),
    );
    assert.match(result.stdout, /"sub": "alice"/);
    assert.match(result.stdout, /exp\s+2026-11-24T12:15:00Z\s+expires in 15 min/);
    assert.equal(result.stderr, "");
  });

  test("a private JWK file is reduced to its public key", async () => {
    const result = await run(["verify", token, "--key", privateJWKFile], { now: NOW });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("a JWKS file, with iss, aud, typ and sub checks", async () => {
    const result = await run(
      [
        "verify",
        token,
        "--jwks",
        jwksFile,
        "--iss",
        "https://auth.test",
        "--aud",
        "api",
        "--typ",
        "at+jwt",
        "--sub",
        "alice",
      ],
      { now: NOW },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("an HMAC secret from an environment variable", async () => {
    const secret = generateSecret();
    const hsToken = signJWT({ sub: "bob" }, createSecretKey(secret, { alg: "HS256" }), { expiresIn: 60, now: frozen });
    const result = await run(["verify", hsToken, "--alg", "HS256", "--secret-env", "MY_SECRET"], {
      env: { MY_SECRET: secret },
      now: NOW,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stderr, "", "a strong secret gets no warning");
  });

  test("token from stdin with a Bearer prefix", async () => {
    const result = await run(["verify", "--key", pemFile], { stdin: `Bearer ${token}\n`, now: NOW });
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  test("--clock-tolerance accepts a token expired within it", async () => {
    const late = sign({ sub: "a" }, { expiresIn: 60, now: NOW - 200_000 });
    assert.equal((await run(["verify", late, "--key", pemFile], { now: NOW })).code, 1);
    const result = await run(["verify", late, "--key", pemFile, "--clock-tolerance", "300"], { now: NOW });
    assert.equal(result.code, 0, result.stdout);
  });

  test("--json on success", async () => {
    const result = await run(["verify", token, "--key", pemFile, "--json"], { now: NOW });
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.kid, pair.kid);
    assert.equal(parsed.payload.sub, "alice");
  });
});

describe("sigil verify: a token valid only within the clock tolerance says so", () => {
  const checked = `signature and claims checked \\(alg EdDSA, key id "${pair.kid}"\\)`;

  test("expired 14 s ago: accepted by the default 30 s tolerance, and the verdict says it is only that", async () => {
    const late = sign({ sub: "a" }, { expiresIn: 60, now: NOW - 74_000 });
    const result = await run(["verify", late, "--key", pemFile], { now: NOW });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^valid \\(expired 14 s ago, accepted within the 30 s clock tolerance; --clock-tolerance 0 refuses it\\): ${checked}\n`,
      ),
    );
    assert.match(result.stdout, /exp\s+2026-11-24T11:59:46Z\s+expired 14 s ago/);
    // What the verdict promises.
    const strict = await run(["verify", late, "--key", pemFile, "--clock-tolerance", "0"], { now: NOW });
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /^error TOKEN_EXPIRED: /);
  });

  test("an explicit tolerance is the one named", async () => {
    const late = sign({ sub: "a" }, { expiresIn: 60, now: NOW - 200_000 });
    const result = await run(["verify", late, "--key", pemFile, "--clock-tolerance", "300"], { now: NOW });
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^valid \(expired 2 min 20 s ago, accepted within the 5 min clock tolerance; /);
  });

  test("nbf and iat in the future within the tolerance", async () => {
    const early = sign({ sub: "a", nbf: NOW / 1000 + 10 }, { expiresIn: 600, now: NOW + 12_000 });
    const result = await run(["verify", early, "--key", pemFile], { now: NOW });
    assert.equal(result.code, 0, result.stdout);
    assert.match(
      result.stdout,
      new RegExp(
        `^valid \\(not valid for another 10 s, issued 12 s in the future, accepted within the 30 s clock tolerance; --clock-tolerance 0 refuses it\\): ${checked}\n`,
      ),
    );
    const strict = await run(["verify", early, "--key", pemFile, "--clock-tolerance", "0"], { now: NOW });
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /^error NOT_YET_VALID: /);
  });

  test("older than --max-age by less than the tolerance", async () => {
    const old = sign({ sub: "a" }, { expiresIn: 900, now: NOW - 310_000 });
    const result = await run(["verify", old, "--key", pemFile, "--max-age", "300"], { now: NOW });
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^valid \(issued 5 min 10 s ago, past --max-age 5 min, accepted within the 30 s clock/);
  });

  test("a token valid without the tolerance gets the plain verdict", async () => {
    const result = await run(["verify", token, "--key", pemFile], { now: NOW });
    assert.match(result.stdout, new RegExp(`^valid: ${checked}\n`));
  });

  test("--json reports the tolerance and what needed it", async () => {
    const late = sign({ sub: "a" }, { expiresIn: 60, now: NOW - 74_000 });
    const parsed = JSON.parse((await run(["verify", late, "--key", pemFile, "--json"], { now: NOW })).stdout);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.clockTolerance, 30);
    assert.deepEqual(parsed.withinClockTolerance, [{ claim: "exp", message: "expired 14 s ago" }]);
    const plain = JSON.parse((await run(["verify", token, "--key", pemFile, "--json"], { now: NOW })).stdout);
    assert.deepEqual(plain.withinClockTolerance, []);
  });

  test("help shows the tolerance and its default", async () => {
    const help = await run(["help", "verify"]);
    assert.match(help.stdout, /--clock-tolerance SEC +allowed clock skew in seconds for exp, nbf, iat \(default 30\)/);
  });
});

describe("sigil verify: rejected tokens (exit 1)", () => {
  const rejected = async (args: string[], code: string): Promise<string> => {
    const result = await run(["verify", ...args], { now: NOW });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`^error ${code}: `), result.stdout);
    assert.match(result.stdout, /\nfix: /);
    return result.stdout;
  };

  test("expired", async () => {
    const out = await rejected(
      [sign({ sub: "a" }, { expiresIn: 60, now: NOW - 3_600_000 }), "--key", pemFile],
      "TOKEN_EXPIRED",
    );
    assert.match(out, /expired/);
  });
  test("no exp, unless --allow-no-exp", async () => {
    const noExp = sign({ sub: "a" });
    const out = await rejected([noExp, "--key", pemFile], "CLAIM_MISSING");
    assert.match(out, /exp/);
    assert.match(out, /--allow-no-exp/);
    assert.equal((await run(["verify", noExp, "--key", pemFile, "--allow-no-exp"], { now: NOW })).code, 0);
  });
  test("signed by another key", async () => {
    const forged = signJWT({ sub: "a" }, (await generateKeyPair("EdDSA")).signing, { expiresIn: 60, now: frozen });
    const result = await run(["verify", forged, "--key", pemFile], { now: NOW });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^error (SIGNATURE_INVALID|KEY_NOT_FOUND): /);
  });
  test("algorithm not in the allow-list", async () => {
    await rejected([token, "--jwks", jwksFile, "--alg", "ES256"], "ALG_NOT_ALLOWED");
  });
  test("wrong issuer, audience, typ", async () => {
    await rejected([token, "--key", pemFile, "--iss", "https://evil.test"], "CLAIM_MISMATCH");
    await rejected([token, "--key", pemFile, "--aud", "other"], "CLAIM_MISMATCH");
    await rejected([token, "--key", pemFile, "--typ", "id+jwt"], "TYP_MISMATCH");
  });
  test("not a token", async () => {
    await rejected(["not.a.token", "--key", pemFile], "MALFORMED");
  });
  test("tampered payload", async () => {
    const [h, , s] = token.split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "admin", exp: NOW / 1000 + 900 })).toString("base64url");
    const result = await run(["verify", `${h}.${payload}.${s}`, "--key", pemFile], { now: NOW });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^error SIGNATURE_INVALID/);
  });
  test("--json on rejection", async () => {
    const result = await run(["verify", sign({ sub: "a" }), "--key", pemFile, "--json"], { now: NOW });
    assert.equal(result.code, 1);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.valid, false);
    assert.equal(parsed.error.code, "CLAIM_MISSING");
    assert.equal(typeof parsed.error.fix, "string");
  });
});

describe("sigil verify: usage errors (exit 2, one line)", () => {
  const usage = async (args: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<void> => {
    const result = await run(["verify", token, ...args], { env, now: NOW });
    assert.ok(isOneLineError(result), `${result.code} ${result.stdout} ${result.stderr}`);
    assert.equal(result.code, 2);
    assert.match(result.stderr, pattern);
  };

  test("no key source", () => usage([], /needs a key/));
  test("two key sources", () => usage(["--key", pemFile, "--jwks", jwksFile], /only one of/));
  test("--secret-env without --alg", () => usage(["--secret-env", "S"], /needs --alg/, { S: generateSecret() }));
  test("--secret-env with a non-HMAC algorithm", () =>
    usage(["--secret-env", "S", "--alg", "EdDSA"], /cannot verify EdDSA/, { S: generateSecret() }));
  test("unset variable is named", () =>
    usage(["--secret-env", "JWT_SECRET", "--alg", "HS256"], /JWT_SECRET is not set/));
  test("empty variable is named", () =>
    usage(["--secret-env", "JWT_SECRET", "--alg", "HS256"], /JWT_SECRET is empty/, { JWT_SECRET: "" }));
  test("a secret passed as the variable name is refused without echoing it", () =>
    usage(["--secret-env", "my secret value!", "--alg", "HS256"], /takes the NAME/));
  test("missing key file", () => usage(["--key", `${dir}/nope.pem`], /cannot read key file .*no such file/));
  test("key file with bad JSON", async () => {
    const bad = await writeIn(dir, "bad.jwk", '{"kty": "OKP",');
    await usage(["--key", bad], /is not valid JSON/);
  });
  test("key file that is not a key", async () => {
    const junk = await writeIn(dir, "junk.txt", "hello");
    await usage(["--key", junk], /neither a PEM key nor a JWK/);
  });
  test("key that does not fit --alg", () => usage(["--key", pemFile, "--alg", "ES256"], /cannot use the key/));
  test("unknown algorithm and alg none", async () => {
    await usage(["--key", pemFile, "--alg", "XS256"], /unknown algorithm 'XS256'/);
    await usage(["--key", pemFile, "--alg", "none"], /never accepted/);
  });
  test("bad --clock-tolerance", () =>
    usage(["--key", pemFile, "--clock-tolerance", "soon"], /whole number of seconds/));
  test("missing JWKS file and JWKS without usable keys", async () => {
    await usage(["--jwks", `${dir}/none.json`], /cannot read JWKS file/);
    const empty = await writeIn(dir, "empty-jwks.json", JSON.stringify({ keys: [{ kty: "oct", k: "abc" }] }));
    await usage(["--jwks", empty], /no usable signature verification key/);
  });
  test("--jwks URL with an unsupported scheme", () =>
    usage(["--jwks", "ftp://example.com/jwks"], /only http and https/));
  test("flag without its value", () => usage(["--key"], /argument missing/));
});
