// `npm run bench:server [-- --quick] [--json] [--rounds N] [--no-postgres]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress and the server's
// own output go to stderr). Exits 0 even when a target is missed: this is a measurement, not a
// test; it exits 1 only when the harness itself fails.

import { parseArgs } from "node:util";
import { runServerBench } from "./bench.js";
import { renderTextReport } from "./report.js";
import { DEFAULT_SETTINGS, QUICK_SETTINGS, type ServerBenchSettings } from "./settings.js";

const USAGE = "usage: npm run bench:server -- [--quick] [--json] [--rounds N] [--no-postgres]";

function parseSettings(argv: string[]): { settings: ServerBenchSettings; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      rounds: { type: "string" },
      "no-postgres": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const base = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  let rounds = base.rounds;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
      throw new Error(`--rounds must be 1 … 50, got "${values.rounds}"`);
  }
  const databases = values["no-postgres"] ? base.databases.filter((d) => d !== "postgres") : base.databases;
  return { settings: { ...base, rounds, databases }, json: values.json };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseSettings>;
  try {
    parsed = parseSettings(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:server: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const report = await runServerBench(parsed.settings, log);
  process.stdout.write(`${parsed.json ? JSON.stringify(report, null, 2) : renderTextReport(report)}\n`);
  if (!report.targets.allPassed) log(`\n!! targets missed: ${report.targets.failed.join("; ")}`);
  log(`bench:server done in ${report.durationSec.toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:server failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
