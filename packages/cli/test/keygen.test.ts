import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, realpath, stat, writeFile } from "node:fs/promises";
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

describe("sigil keygen --out inside a git work tree", () => {
  const hasGit = spawnSync("git", ["--version"]).status === 0;
  // Only PATH from the parent: a GIT_DIR or GIT_WORK_TREE of the shell running the tests must not leak in.
  const gitEnv = { PATH: process.env["PATH"] ?? "" };

  async function gitRepo(): Promise<string> {
    const repo = await realpath(await tempDir());
    const init = spawnSync("git", ["init", "-q"], { cwd: repo, env: gitEnv });
    assert.equal(init.status, 0, String(init.stderr));
    return repo;
  }

  const WARNING =
    /^warning: .* is inside the git work tree .* and not ignored, so a commit could publish the key: add it to \.gitignore or write it outside the repository$/m;

  test("a key the work tree does not ignore: one warning line on stderr, with the fix", { skip: !hasGit }, async () => {
    const repo = await gitRepo();
    const out = join(repo, "private.jwk");
    const result = await run(["keygen", "--out", out], { env: gitEnv });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.split("\n").filter(Boolean);
    assert.deepEqual(lines, [
      `wrote the private key to ${out} (mode 0600)`,
      `warning: ${out} is inside the git work tree ${repo} and not ignored, so a commit could publish the key: add it to .gitignore or write it outside the repository`,
    ]);
    assert.doesNotMatch(result.stdout, /warning/, "stdout stays the kid and public JWK");

    // The same in a subdirectory, and for an HMAC secret (as secret as a private key).
    await mkdir(join(repo, "keys"));
    const nested = await run(["keygen", "--alg", "HS256", "--out", join(repo, "keys", "hs.jwk")], { env: gitEnv });
    assert.match(nested.stderr, WARNING);
  });

  test("an ignored path, a path outside any work tree, and no git at all: silent", { skip: !hasGit }, async () => {
    const repo = await gitRepo();
    await writeFile(join(repo, ".gitignore"), "*.jwk\nsecrets/\n");
    await mkdir(join(repo, "secrets"));
    for (const out of [join(repo, "private.jwk"), join(repo, "secrets", "signing.pem")]) {
      const args = out.endsWith(".pem") ? ["--format", "pem"] : [];
      const result = await run(["keygen", ...args, "--out", out], { env: gitEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, `wrote the private key to ${out} (mode 0600)\n`);
    }
    const outside = join(await tempDir(), "private.jwk");
    const plain = await run(["keygen", "--out", outside], { env: gitEnv });
    assert.equal(plain.stderr, `wrote the private key to ${outside} (mode 0600)\n`);

    const noGit = await run(["keygen", "--out", join(repo, "unignored.key")], { env: { PATH: "/nonexistent" } });
    assert.equal(noGit.code, 0, noGit.stderr);
    assert.doesNotMatch(noGit.stderr, /warning/);
  });
});
