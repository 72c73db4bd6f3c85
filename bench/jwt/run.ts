// `npm run bench:jwt [-- --quick] [--json] [--alg HS256[,EdDSA]] [--samples N] [--sample-ms N] [--pool N]`
//
// Prints a table (or, with --json, exactly one JSON object on stdout; progress goes to
// stderr). Exits 0 even when a target is missed: this is a measurement, not a test.

import { parseArgs } from "node:util";
import { type BenchSettings, DEFAULT_SETTINGS, QUICK_SETTINGS, runJWTBench } from "./bench.js";
import { BENCH_ALGORITHMS, type BenchAlgorithm, isBenchAlgorithm } from "./fixtures.js";
import { renderTextReport } from "./report.js";

const USAGE = `usage: npm run bench:jwt -- [--quick] [--json] [--alg HS256,EdDSA,ES256,RS256]
                              [--samples N] [--sample-ms N] [--warmup-ms N] [--pool N]`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function parseSettings(argv: string[]): { settings: BenchSettings; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      alg: { type: "string", multiple: true },
      samples: { type: "string" },
      "sample-ms": { type: "string" },
      "warmup-ms": { type: "string" },
      pool: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const base = values.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
  const requested = (values.alg ?? []).flatMap((a) => a.split(",")).map((a) => a.trim());
  const algorithms: BenchAlgorithm[] = [];
  for (const name of requested) {
    const match = BENCH_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase()) ?? name;
    if (!isBenchAlgorithm(match)) throw new Error(`unknown --alg "${name}" (one of ${BENCH_ALGORITHMS.join(", ")})`);
    if (!algorithms.includes(match)) algorithms.push(match);
  }
  const settings: BenchSettings = {
    algorithms: algorithms.length > 0 ? algorithms : [...BENCH_ALGORITHMS],
    samples: positiveInt(values.samples, "samples", base.samples),
    sampleMs: positiveInt(values["sample-ms"], "sample-ms", base.sampleMs),
    warmupMs: positiveInt(values["warmup-ms"], "warmup-ms", base.warmupMs),
    poolSize: positiveInt(values.pool, "pool", base.poolSize),
  };
  return { settings, json: values.json };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseSettings>;
  try {
    parsed = parseSettings(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:jwt: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const report = await runJWTBench(parsed.settings, log);
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderTextReport(report)}\n`);
  }
  if (!report.targets.allPassed) log(`\n!! targets failed: ${report.targets.failed.join("; ")}`);
  log(`bench:jwt done in ${report.durationSec.toFixed(1)} s`);
}

await main();
