import assert from "node:assert/strict";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isOneLineError, run, tempDir } from "./helpers.js";

const dir = await tempDir();

/** Signs a token with the private key file through `sigil sign`, then verifies it with the public key. */
async function roundTrip(privateFile: string, publicFile: string, alg: string): Promise<void> {
  const signed = await run(["sign", '{"scope":"read"}', "--key", privateFile, "--alg", alg, "--sub", "alice"]);
  assert.equal(signed.code, 0, signed.stderr);
  const token = signed.stdout.trim();
  const verified = await run(["verify", token, "--key", publicFile, "--alg", alg]);
  assert.equal(verified.code, 0, `${alg}: ${verified.stdout}${verified.stderr}`);
  assert.match(verified.stdout, new RegExp(`^valid: signature and claims checked \\(alg ${alg},`));
}

/** The public JWK printed by keygen ("public JWK: {...}"). */
function publicJWKFrom(output: string): Record<string, unknown> {
  const line = output.split("\n").find((l) => l.startsWith("public JWK: "));
  assert.ok(line, output);
  return JSON.parse(line.slice("public JWK: ".length));
}

describe("sigil keygen", () => {
  for (const alg of ["EdDSA", "ES256", "ES384", "ES512", "RS256", "PS256"]) {
    test(`${alg}: private JWK to --out (0600), public JWK on stdout, round-trips into verify`, async () => {
      const out = join(dir, `${alg}.jwk`);
      const result = await run(["keygen", "--alg", alg, "--out", out]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await stat(out)).mode & 0o777, 0o600);
      assert.match(result.stdout, /^kid: \S+$/m);
      const publicJWK = publicJWKFrom(result.stdout);
      assert.equal(publicJWK["alg"], alg);
      assert.equal(publicJWK["d"], undefined, "no private member in the public JWK");
      assert.equal(result.stdout.match(/^kid: (\S+)$/m)?.[1], publicJWK["kid"]);
      const publicFile = join(dir, `${alg}.public.jwk`);
      await writeFile(publicFile, JSON.stringify(publicJWK));
      await roundTrip(out, publicFile, alg);
    });
  }

  test("PEM format: PKCS#8 private key; verify with the public JWK", async () => {
    const out = join(dir, "es256.pem");
    const result = await run(["keygen", "--alg", "ES256", "--format", "pem", "--out", out]);
    assert.equal(result.code, 0, result.stderr);
    const publicFile = join(dir, "es256.pem.public.jwk");
    await writeFile(publicFile, JSON.stringify(publicJWKFrom(result.stdout)));
    await roundTrip(out, publicFile, "ES256");
  });

  test("an RSA PEM needs --alg: without it, a one-line error says so", async () => {
    const out = join(dir, "rs256.pem");
    assert.equal((await run(["keygen", "--alg", "RS256", "--format", "pem", "--out", out])).code, 0);
    const result = await run(["sign", "{}", "--key", out]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /pass --alg/);
    await roundTrip(out, out, "RS256");
  });

  test("HS256: an oct JWK with a 256-bit secret, which signs and verifies", async () => {
    const out = join(dir, "hs256.jwk");
    const result = await run(["keygen", "--alg", "HS256", "--out", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no public key: HMAC is symmetric/);
    const { readFile } = await import("node:fs/promises");
    const jwk = JSON.parse(await readFile(out, "utf8"));
    assert.equal(jwk.kty, "oct");
    assert.equal(Buffer.from(jwk.k, "base64url").length, 32);
    await roundTrip(out, out, "HS256");
  });

  test("default: EdDSA private JWK on stdout, kid and public JWK on stderr", async () => {
    const result = await run(["keygen"]);
    assert.equal(result.code, 0);
    const jwk = JSON.parse(result.stdout);
    assert.equal(jwk.kty, "OKP");
    assert.equal(jwk.crv, "Ed25519");
    assert.equal(typeof jwk.d, "string");
    assert.match(result.stderr, /^kid: /);
    assert.equal(publicJWKFrom(result.stderr)["kid"], jwk.kid);
  });

  test("--kid is used", async () => {
    const result = await run(["keygen", "--kid", "2026-11-key-1"]);
    assert.equal(JSON.parse(result.stdout).kid, "2026-11-key-1");
  });

  test("refuses to overwrite a file unless --force", async () => {
    const out = join(dir, "exists.jwk");
    await writeFile(out, "keep me", { mode: 0o644 });
    const refused = await run(["keygen", "--out", out]);
    assert.ok(isOneLineError(refused), refused.stderr);
    assert.match(refused.stderr, /already exists/);
    const forced = await run(["keygen", "--out", out, "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
  });

  test("usage errors", async () => {
    for (const args of [
      ["--alg", "HS256", "--format", "pem"],
      ["--alg", "none"],
      ["--alg", "RS512x"],
      ["--format", "der"],
      ["--force"],
      ["extra"],
      ["--out", join(dir, "no-such-dir", "k.jwk")],
    ]) {
      const result = await run(["keygen", ...args]);
      assert.ok(isOneLineError(result), `${args.join(" ")}: ${result.stderr}`);
    }
  });
});
