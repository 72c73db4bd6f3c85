#!/usr/bin/env node
// Measures what @sigil/client costs a web page: its source bundled by esbuild (minified, ESM,
// browser platform), then gzipped with node:zlib at level 9. The budget is 5 kB.
//
//   npm run size:client                  prints the size; exits 1 at or over the budget
//   npm run size:client -- --json        the same as one JSON object
//   npm run size:client -- --outfile F   also writes the minified bundle to F (for a test page)
//
// packages/client/test/hygiene.test.ts runs the same measurement, so CI enforces the budget; the
// browser tests (test/e2e) load the same bundle (bundleClient) into Chromium.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The budget in bytes of min+gzip; a bundle at or above it fails. */
export const CLIENT_SIZE_BUDGET = 5120;

const entry = resolve(import.meta.dirname, "../packages/client/src/index.ts");

/**
 * Bundles the client into one minified ES module, the file a page loads with
 * `<script type="module">` (the browser tests serve exactly this).
 * @returns {Promise<string>}
 */
export async function bundleClient() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/**
 * Bundles the client and measures it.
 * @returns {Promise<{ entry: string, minifiedBytes: number, gzipBytes: number, budgetBytes: number, withinBudget: boolean, code: string }>}
 */
export async function measureClientBundle() {
  const code = await bundleClient();
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  return {
    entry: "packages/client/src/index.ts",
    minifiedBytes: Buffer.byteLength(code),
    gzipBytes,
    budgetBytes: CLIENT_SIZE_BUDGET,
    withinBudget: gzipBytes < CLIENT_SIZE_BUDGET,
    code,
  };
}

async function main() {
  const { values } = parseArgs({ options: { json: { type: "boolean" }, outfile: { type: "string" } } });
  const { code, ...report } = await measureClientBundle();
  if (values.outfile) writeFileSync(values.outfile, code);
  if (values.json) console.log(JSON.stringify(report));
  else {
    const verdict = report.withinBudget ? "within" : "OVER";
    console.log(
      `@sigil/client: ${report.gzipBytes} B min+gzip (${report.minifiedBytes} B minified), ${verdict} the ${report.budgetBytes} B budget`,
    );
  }
  process.exit(report.withinBudget ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
