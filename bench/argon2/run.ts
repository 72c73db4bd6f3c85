// `npm run bench:argon2 [-- --quick] [--json] [--rounds N]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress goes to stderr).

import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { ARGON2_PARAMS } from "../../packages/server/src/passwords/argon2-params.js";
import { formatRatio, renderTable } from "../lib/format.js";
import { type Argon2BenchReport, type Argon2BenchSettings, runArgon2Bench } from "./bench.js";

const USAGE = "usage: npm run bench:argon2 -- [--quick] [--json] [--rounds N]";

function parseSettings(argv: string[]): { settings: Argon2BenchSettings; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      rounds: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  let rounds = values.quick ? 1 : 5;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
      throw new Error(`--rounds must be 1 … 50, got "${values.rounds}"`);
  }
  return {
    settings: { rounds, verifies: values.quick ? 10 : 60, lanes: availableParallelism() },
    json: values.json,
  };
}

function renderText(report: Argon2BenchReport): string {
  const { machine, settings } = report;
  const rows = report.results.map((r) => [
    `m = ${r.memoryKiB / 1024} MiB, t = ${r.passes}${r.sigilDefault ? " (Sigil)" : ""}`,
    `${r.singleVerifyMs.median.toFixed(2)} ms ±${r.singleVerifyMs.spreadPct.toFixed(0)} %`,
    `${r.boundPerSec.median.toFixed(0)}/s`,
    `${r.parallelPerSec.median.toFixed(0)}/s ±${r.parallelPerSec.spreadPct.toFixed(0)} %`,
    formatRatio(r.scaling),
  ]);
  return [
    `bench:argon2 — ${machine.cores} × ${machine.cpuModel}, ${settings.rounds} rounds × ${settings.verifies} verifies per lane`,
    renderTable(
      [
        { title: "OWASP argon2id set (p = 1)", align: "left" },
        { title: "one verify", align: "right" },
        { title: `${settings.lanes} × single`, align: "right" },
        { title: `${settings.lanes} lanes at once`, align: "right" },
        { title: "scaling", align: "right" },
      ],
      rows,
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseSettings>;
  try {
    parsed = parseSettings(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:argon2: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const report = await runArgon2Bench(parsed.settings, ARGON2_PARAMS, log);
  process.stdout.write(`${parsed.json ? JSON.stringify(report, null, 2) : renderText(report)}\n`);
  log(`bench:argon2 done in ${report.durationSec.toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:argon2 failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
