// What the client must never do, checked on its sources: persist tokens in Web Storage, log, or
// depend on anything at run time. And its cost to a web page: under 5 kB min+gzip.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CLIENT_SIZE_BUDGET, measureClientBundle } from "../../../scripts/client-size.mjs";

const packageDir = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

test("the sources never touch Web Storage, document.cookie or the console, and import nothing from outside", () => {
  for (const file of sources(join(packageDir, "src"))) {
    const code = readFileSync(file, "utf8").replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, "");
    assert.doesNotMatch(code, /localStorage|sessionStorage|indexedDB|document\.cookie|console\./, file);
    for (const [, specifier] of code.matchAll(/from "([^"]+)"/g)) assert.match(specifier ?? "", /^\.\.?\//, file);
  }
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.dependencies, undefined, "zero runtime dependencies");
});

test(`the browser bundle is under ${CLIENT_SIZE_BUDGET} bytes min+gzip`, async () => {
  const size = await measureClientBundle();
  assert.ok(size.gzipBytes < CLIENT_SIZE_BUDGET, `${size.gzipBytes} B min+gzip`);
  assert.ok(size.withinBudget);
  assert.match(size.code, /createClient/, "the bundle exports the public API");
});
