// `npm run bench:server [-- --quick] [--json] [--rounds N] [--no-postgres]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress and the server's
// own output go to stderr). Exits 0 even when a target is missed: this is a measurement, not a
// test; it exits 1 only when the harness itself fails.

import { type BenchArgs, parseRounds, runBenchCommand } from "../lib/cli.js";
import { runServerBench } from "./bench.js";
import { renderTextReport } from "./report.js";
import { DEFAULT_SETTINGS, QUICK_SETTINGS, type ServerBenchSettings } from "./settings.js";

const USAGE = "usage: npm run bench:server -- [--quick] [--json] [--rounds N] [--no-postgres]";

const OPTIONS = {
  rounds: { type: "string" },
  "no-postgres": { type: "boolean", default: false },
} as const;

function parseSettings(values: BenchArgs<typeof OPTIONS>): ServerBenchSettings {
  const base = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  const rounds = parseRounds(values.rounds, base.rounds);
  const databases = values["no-postgres"] ? base.databases.filter((d) => d !== "postgres") : base.databases;
  return { ...base, rounds, databases };
}

await runBenchCommand({
  name: "bench:server",
  usage: USAGE,
  options: OPTIONS,
  settings: parseSettings,
  async run(settings, log) {
    const report = await runServerBench(settings, log);
    return { report, renderText: () => renderTextReport(report) };
  },
});
