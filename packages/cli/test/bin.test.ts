// One real process: the CLI entry run from the TypeScript sources, as `npx sigil` runs the build.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { JWT_IO_TOKEN } from "./helpers.js";

const entry = fileURLToPath(new URL("../src/run.ts", import.meta.url));

function sigil(args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--conditions=sigil-source", "--import", "tsx", entry, ...args], {
    input: input ?? "",
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1", SIGIL_DEBUG: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("the real process: decode from stdin, exit statuses, one-line errors", () => {
  const decoded = sigil(["decode", "--json"], `Bearer ${JWT_IO_TOKEN}\n`);
  assert.equal(decoded.status, 0, decoded.stderr);
  assert.equal(JSON.parse(decoded.stdout).payload.name, "John Doe");

  const bad = sigil(["decode", "not-a-token"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^sigil: error: not a JWT: [^\n]*\n$/);

  const unknown = sigil(["--bogus"]);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr.split("\n").filter(Boolean).length, 1);
});
