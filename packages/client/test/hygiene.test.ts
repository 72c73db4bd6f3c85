// What the client must never do, checked on its sources: persist tokens in Web Storage, log, or
// depend on anything at run time. And its cost to a web page: under 5 kB min+gzip.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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

test("in Node, a planned refresh does not keep a finished script alive (its timer is unref'd)", () => {
  // A script signs in (so a refresh is planned 14 minutes ahead) and returns without close():
  // the process must exit by itself. spawnSync's timeout only guards against a hang.
  const script = `
    import { createClient } from "@sigil/client";
    const fetch = async () => new Response(JSON.stringify({ access_token: "a", token_type: "Bearer", expires_in: 900, refresh_token: "r" }), { headers: { "content-type": "application/json" } });
    const client = createClient({ issuer: "https://auth.example.com", fetch });
    await client.signIn({ email: "e@example.com", password: "p" });
    console.log(client.isSignedIn);
  `;
  const child = spawnSync(
    process.execPath,
    ["--conditions=sigil-source", "--import", "tsx", "--input-type=module", "-e", script],
    { cwd: packageDir, encoding: "utf8", timeout: 30_000 },
  );
  assert.equal(child.error, undefined, "the script did not exit by itself");
  assert.equal(child.stdout.trim(), "true", child.stderr);
  assert.equal(child.status, 0);
});
