#!/usr/bin/env node
// Runs every package's tests with node's own test runner, on the TypeScript sources
// (tsx, and the `sigil-source` export condition so workspace packages resolve to src/).
//
//   npm test                      all tests
//   npm test -- packages/jwt      only test files under the given paths
//
// Test files are `*.test.ts` under `packages/*/test`, `bench/`, `examples/` and `test/` (checks of
// the repository as a whole, such as its package boundaries).
// Integration tests (`*.int.test.ts`) run after unit tests, two files at a time like the unit tests:
// each starts its own real servers (PostgreSQL, nginx, child processes) on free ports and in
// temporary directories, and no test depends on how fast anything happens (time is injected,
// waits are for events), so two files sharing the two cores wait on each other's I/O, not on
// each other's clocks.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const roots = ["packages", "examples", "bench", "test"].map((d) => join(root, d));

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith(".test.ts")) yield path;
  }
}

const filters = process.argv.slice(2).map((p) => resolve(p));
const files = roots
  .flatMap((dir) => [...walk(dir)])
  .filter(
    (file) =>
      filters.length === 0 || filters.some((f) => file.startsWith(f) && (file === f || statSync(f).isDirectory())),
  )
  .sort();

if (files.length === 0) {
  console.error("run-tests: no test files matched");
  process.exit(1);
}

const unit = files.filter((f) => !f.endsWith(".int.test.ts"));
const integration = files.filter((f) => f.endsWith(".int.test.ts"));
const nodeArgs = ["--conditions=sigil-source", "--import", "tsx", "--enable-source-maps", "--test"];

let status = 0;
for (const [label, group, concurrency] of [
  ["unit", unit, "2"],
  ["integration", integration, "2"],
]) {
  if (group.length === 0) continue;
  console.log(`\n# ${label} tests: ${group.length} file(s)`);
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, `--test-concurrency=${concurrency}`, ...group.map((f) => relative(root, f))],
    { cwd: root, stdio: "inherit" },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
