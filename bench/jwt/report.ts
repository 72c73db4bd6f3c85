// The human-readable report: one table per (alg, op, cache) group, then the targets.

import { formatInteger, formatMicros, formatPct, formatRatio, renderTable } from "../lib/format.js";
import type { MachineInfo } from "../lib/machine.js";
import type { CacheMode } from "./contenders/contender.js";
import type { BenchResult, SkippedCase } from "./harness.js";
import type { TargetResult } from "./targets.js";

export interface TextReportInput {
  readonly machine: MachineInfo;
  readonly packages: Record<string, string>;
  readonly settings: { samples: number; sampleMs: number; poolSize: number };
  readonly results: readonly BenchResult[];
  readonly skipped: readonly SkippedCase[];
  readonly targets: { readonly items: readonly TargetResult[] };
}

const CACHE_TITLES: Record<CacheMode, (pool: number) => string> = {
  off: (pool) => `no cache, ${pool} distinct tokens cycled`,
  hit: () => "cache on, one token reused (hits)",
  miss: (pool) => `cache on (${Math.floor(pool / 2)} entries), ${pool} distinct tokens cycled (misses)`,
};

const COLUMNS = [
  { title: "impl", align: "left" },
  { title: "ops/s", align: "right" },
  { title: "µs/op", align: "right" },
  { title: "spread", align: "right" },
  { title: "x of raw", align: "right" },
  { title: "cost vs raw", align: "right" },
  { title: "paired", align: "right" },
  { title: "key", align: "left" },
] as const;

function groupTable(rows: readonly BenchResult[], gaps: readonly SkippedCase[]): string {
  const lines = rows.map((r) => [
    r.impl,
    formatInteger(r.opsPerSec),
    formatMicros(r.usPerOp),
    formatPct(r.spreadPct),
    r.xOfRaw === null ? "—" : formatRatio(r.xOfRaw),
    r.costVsRaw === null ? "—" : formatRatio(r.costVsRaw),
    r.pairedCostVsRaw === null ? "—" : formatRatio(r.pairedCostVsRaw),
    r.keyForm,
  ]);
  for (const gap of gaps)
    lines.push([gap.impl, "—", "—", "", "", "", "", gap.failed ? "FAILED VALIDATION" : gap.reason]);
  return renderTable(COLUMNS, lines);
}

function formatTarget(target: TargetResult): string {
  const mark = target.pass === null ? "n/a " : target.pass ? "PASS" : "FAIL";
  return `  [${mark}]${target.informational ? " (info)" : ""} ${target.name}: ${target.detail}`;
}

export function renderTextReport(input: TextReportInput): string {
  const { machine, packages, settings } = input;
  const out: string[] = [
    `JWT sign/verify — ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, OpenSSL ${machine.openssl}`,
    `packages: ${Object.entries(packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
    `${settings.samples} interleaved samples of ~${settings.sampleMs} ms per case; median ops/s, spread = (max-min)/median;` +
      ` load average at start ${machine.loadAvg1m.toFixed(2)}`,
    "cost vs raw = impl µs / raw µs (medians); paired = median of that ratio per round (steadier; the targets use it)",
  ];
  const seen = new Set<string>();
  for (const r of input.results) {
    const key = `${r.alg}|${r.op}|${r.cache}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rows = input.results.filter((x) => x.alg === r.alg && x.op === r.op && x.cache === r.cache);
    const gaps = input.skipped.filter((s) => s.alg === r.alg && s.op === r.op && s.cache === r.cache);
    const title = r.op === "sign" ? `${r.alg} sign` : `${r.alg} verify — ${CACHE_TITLES[r.cache](settings.poolSize)}`;
    out.push("", title, groupTable(rows, gaps));
  }
  const failures = input.skipped.filter((s) => s.failed);
  if (failures.length > 0) {
    out.push("", "FAILED VALIDATION (not timed):");
    for (const f of failures) out.push(`  ${f.alg} ${f.op} ${f.impl} (cache ${f.cache}): ${f.reason}`);
  }
  out.push("", "Targets (issue 2 §6):", ...input.targets.items.map(formatTarget));
  const failed = input.targets.items.filter((t) => t.pass === false && !t.informational);
  out.push(
    "",
    failed.length === 0
      ? "All targets met in this run."
      : `${failed.length} target(s) FAILED in this run (compare ratios only; rerun on a quiet machine before concluding).`,
  );
  return out.join("\n");
}
