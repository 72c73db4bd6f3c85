// `npm run bench:jwt [-- --quick] [--json] [--alg HS256[,EdDSA]] [--samples N] [--sample-ms N] [--pool N]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress goes to
// stderr). Exits 0 even when a target is missed: this is a measurement, not a test.

import { type BenchArgs, positiveInt, runBenchCommand } from "../lib/cli.js";
import { type BenchSettings, DEFAULT_SETTINGS, QUICK_SETTINGS, runJWTBench } from "./bench.js";
import { BENCH_ALGORITHMS, type BenchAlgorithm, isBenchAlgorithm } from "./fixtures.js";
import { renderTextReport } from "./report.js";

const USAGE = `usage: npm run bench:jwt -- [--quick] [--json] [--alg HS256,EdDSA,ES256,RS256]
                              [--samples N] [--sample-ms N] [--warmup-ms N] [--pool N]`;

const OPTIONS = {
  alg: { type: "string", multiple: true },
  samples: { type: "string" },
  "sample-ms": { type: "string" },
  "warmup-ms": { type: "string" },
  pool: { type: "string" },
} as const;

function parseSettings(values: BenchArgs<typeof OPTIONS>): BenchSettings {
  const base = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  const requested = (values.alg ?? []).flatMap((a) => a.split(",")).map((a) => a.trim());
  const algorithms: BenchAlgorithm[] = [];
  for (const name of requested) {
    const match = BENCH_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase()) ?? name;
    if (!isBenchAlgorithm(match)) throw new Error(`unknown --alg "${name}" (one of ${BENCH_ALGORITHMS.join(", ")})`);
    if (!algorithms.includes(match)) algorithms.push(match);
  }
  return {
    algorithms: algorithms.length > 0 ? algorithms : [...BENCH_ALGORITHMS],
    samples: positiveInt(values.samples, "samples", base.samples),
    sampleMs: positiveInt(values["sample-ms"], "sample-ms", base.sampleMs),
    warmupMs: positiveInt(values["warmup-ms"], "warmup-ms", base.warmupMs),
    poolSize: positiveInt(values.pool, "pool", base.poolSize),
  };
}

await runBenchCommand({
  name: "bench:jwt",
  usage: USAGE,
  options: OPTIONS,
  settings: parseSettings,
  async run(settings, log) {
    const report = await runJWTBench(settings, log);
    return { report, renderText: () => renderTextReport(report) };
  },
});
