// The README's "The `sigil` command" block, run as written: the block is read from README.md and
// handed to a POSIX shell in an empty directory, with `npx sigil` running this CLI from its
// sources. `set -eu` makes a failing command or an unassigned variable ($TOKEN) fail the test,
// so the README cannot drift from what the CLI does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers.js";

const ROOT_URL = new URL("../../../", import.meta.url);
const ROOT = fileURLToPath(ROOT_URL);
const README = fileURLToPath(new URL("README.md", ROOT_URL));
const ENTRY = fileURLToPath(new URL("../src/run.ts", import.meta.url));
// Resolved here: `--import tsx` would resolve from the temporary directory, which has no node_modules.
const TSX = import.meta.resolve("tsx");

/** The first sh block under the README heading "## The `sigil` command". */
function readmeBlock(): string {
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf("## The `sigil` command");
  assert.notEqual(start, -1, "README has a section 'The `sigil` command'");
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
  assert.ok(block, "README has a sh block under 'The `sigil` command'");
  return block;
}

/** A shell prelude: `npx sigil …` runs the CLI's sources; any other npx call fails. */
function prelude(): string {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    "set -eu",
    "npx() {",
    '  if [ "$1" != sigil ]; then echo "the README runs npx $1, not sigil" >&2; return 127; fi',
    "  shift",
    `  ${quote(process.execPath)} --conditions=sigil-source --import ${quote(TSX)} ${quote(ENTRY)} "$@"`,
    "}",
    "",
  ].join("\n");
}

test("every line of the README's `sigil` block runs as written, and the token it signs verifies", async () => {
  const block = readmeBlock();
  const commands = block.split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  assert.deepEqual(
    commands.map((line) => /\bnpx sigil (\w+)/.exec(line)?.[1]),
    ["decode", "keygen", "sign", "verify", "secret"],
    "the block this test knows",
  );
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  const result = spawnSync("sh", ["-c", `${prelude()}${block}`], {
    cwd: await tempDir(),
    encoding: "utf8",
    env: { ...parentEnv, NO_COLOR: "1", SIGIL_DEBUG: "" },
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `the block failed:\n${result.stderr}`);
  assert.match(result.stdout, /^Signature NOT checked: decode only reads the token/m, "decode ran");
  assert.match(result.stdout, /^public JWK: \{"kty":"OKP","crv":"Ed25519"/m, "keygen printed the public JWK");
  assert.match(result.stdout, /^valid: signature and claims checked \(alg EdDSA/m, "verify accepted the token");
  assert.match(result.stdout, /"iss": "https:\/\/auth\.example\.com"/, "the signed token names the issuer");
  assert.match(result.stdout, /^[A-Za-z0-9_-]{43}$/m, "secret printed a 256-bit secret");
});

test("the files the README's block writes in the repository root are ignored by git", (t) => {
  const inside = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: ROOT, encoding: "utf8" });
  if (inside.status !== 0 || inside.stdout.trim() !== "true") {
    t.skip("not a git work tree (or no git)");
    return;
  }
  const written = [...readmeBlock().matchAll(/--out (\S+)/g)].map((m) => m[1] ?? "");
  assert.deepEqual(written, ["private.jwk"]);
  for (const file of written) {
    const ignored = spawnSync("git", ["check-ignore", "-q", "--", file], { cwd: ROOT });
    assert.equal(ignored.status, 0, `${file} is not in .gitignore: \`npx sigil\` runs in the repository root`);
  }
});
