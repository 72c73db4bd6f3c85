// `npm run bench:verifier [-- --quick] [--json] [--svg PATH] [--rounds N] [--duration-ms N]
//   [--connections N] [--pool N] [--only id,id] [--propagation-rounds N] [--cpu-prof DIR] [--no-pin]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress goes to stderr).
// Exits 0 even when a target is missed: this is a measurement, not a test.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type BenchArgs, positiveInt, runBenchCommand } from "../lib/cli.js";
import { APPROACH_IDS, type ApproachId, approachById } from "./approaches.js";
import { type BenchSettings, DEFAULT_SETTINGS, QUICK_SETTINGS, runVerifierBench } from "./bench.js";
import { renderChart } from "./chart.js";
import { renderTextReport } from "./report.js";

const USAGE = `usage: npm run bench:verifier -- [--quick] [--json] [--svg PATH] [--rounds N] [--duration-ms N]
         [--warmup-ms N] [--connections N] [--pool N] [--propagation-rounds N] [--memory-entries N] [--parse-bytes N]
         [--only ${APPROACH_IDS.join(",")}] [--cpu-prof DIR] [--no-pin]`;

const OPTIONS = {
  svg: { type: "string" },
  rounds: { type: "string" },
  "duration-ms": { type: "string" },
  "warmup-ms": { type: "string" },
  connections: { type: "string" },
  pool: { type: "string" },
  "propagation-rounds": { type: "string" },
  "memory-entries": { type: "string" },
  "parse-bytes": { type: "string" },
  only: { type: "string", multiple: true },
  "cpu-prof": { type: "string" },
  "no-pin": { type: "boolean", default: false },
} as const;

function parseSettings(values: BenchArgs<typeof OPTIONS>): { settings: BenchSettings; svg: string | undefined } {
  const base = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  const only = (values.only ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  const approaches: ApproachId[] = only.length > 0 ? only.map((id) => approachById(id).id) : [...base.approaches];
  const cpuProf = values["cpu-prof"];
  const settings: BenchSettings = {
    ...base,
    approaches,
    // Not capped at MAX_ROUNDS like the other benchmarks: a round here is a few seconds per server.
    rounds: positiveInt(values.rounds, "rounds", base.rounds),
    durationMs: positiveInt(values["duration-ms"], "duration-ms", base.durationMs),
    warmupMs: positiveInt(values["warmup-ms"], "warmup-ms", base.warmupMs),
    connections: positiveInt(values.connections, "connections", base.connections),
    poolSize: positiveInt(values.pool, "pool", base.poolSize),
    propagationRounds: positiveInt(values["propagation-rounds"], "propagation-rounds", base.propagationRounds),
    memoryEntries: positiveInt(values["memory-entries"], "memory-entries", base.memoryEntries),
    parseBytes: positiveInt(values["parse-bytes"], "parse-bytes", base.parseBytes),
    pin: !values["no-pin"],
    serverNodeFlags: cpuProf === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${resolve(cpuProf)}`],
  };
  return { settings, svg: values.svg };
}

await runBenchCommand({
  name: "bench:verifier",
  usage: USAGE,
  options: OPTIONS,
  settings: parseSettings,
  async run(parsed, log) {
    const report = await runVerifierBench(parsed.settings, log);
    if (parsed.svg !== undefined) {
      const path = resolve(parsed.svg);
      mkdirSync(dirname(path), { recursive: true });
      const m = report.machine;
      const subtitle = `${m.cpuModel}, ${m.node}, ${report.settings.connections} connections, ${report.settings.rounds} × ${report.settings.durationMs} ms, ${m.date.slice(0, 10)}`;
      writeFileSync(path, renderChart(report.http, { subtitle, poolSize: report.settings.poolSize }));
      log(`chart written to ${path}`);
    }
    return { report, renderText: () => renderTextReport(report) };
  },
});
