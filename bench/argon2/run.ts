// `npm run bench:argon2 [-- --quick] [--json] [--rounds N]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress goes to stderr).

import { availableParallelism } from "node:os";
import { ARGON2_PARAMS } from "@sigil/server";
import { type BenchArgs, parseRounds, runBenchCommand } from "../lib/cli.js";
import { formatRatio, renderTable } from "../lib/format.js";
import { type Argon2BenchReport, type Argon2BenchSettings, runArgon2Bench } from "./bench.js";

const USAGE = "usage: npm run bench:argon2 -- [--quick] [--json] [--rounds N]";

const OPTIONS = { rounds: { type: "string" } } as const;

function parseSettings(values: BenchArgs<typeof OPTIONS>): Argon2BenchSettings {
  const rounds = parseRounds(values.rounds, values.quick ? 1 : 5);
  return { rounds, verifies: values.quick ? 10 : 60, lanes: availableParallelism() };
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

await runBenchCommand({
  name: "bench:argon2",
  usage: USAGE,
  options: OPTIONS,
  settings: parseSettings,
  async run(settings, log) {
    const report = await runArgon2Bench(settings, ARGON2_PARAMS, log);
    return { report, renderText: () => renderText(report) };
  },
});
