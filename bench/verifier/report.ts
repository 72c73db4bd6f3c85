// The plain-text report of bench:verifier.

import { formatInteger, formatPct, renderTable } from "../lib/format.js";
import { median, quantile } from "../lib/stats.js";
import type { VerifierBenchReport } from "./bench.js";
import type { TargetResult } from "./targets.js";

function formatTarget(target: TargetResult): string {
  const value =
    target.value === null
      ? "n/a"
      : target.unit === "ratio"
        ? `${target.value.toFixed(3)}`
        : target.unit === "ms"
          ? `${target.value.toFixed(1)} ms`
          : `${(target.value / 2 ** 20).toFixed(1)} MiB`;
  const cpu =
    target.cpuBasedValue === undefined || target.cpuBasedValue === null
      ? ""
      : ` (from server CPU per request: ${target.cpuBasedValue.toFixed(3)})`;
  return `${target.passed ? "PASS" : "FAIL"}  ${target.description}: ${value}${cpu}`;
}

/** Summary statistics of the propagation latencies (finite ones; timeouts are counted apart). */
export function propagationSummary(report: VerifierBenchReport): {
  p50: number | null;
  p99: number | null;
  max: number | null;
} {
  const finite = report.propagation.allProbesMs.filter(Number.isFinite);
  if (finite.length === 0) return { p50: null, p99: null, max: null };
  return { p50: median(finite), p99: quantile(finite, 0.99), max: Math.max(...finite) };
}

export function renderTextReport(report: VerifierBenchReport): string {
  const { machine } = report;
  const ceiling = report.http.find((r) => r.id === "fastify-none");
  const rows = report.http.map((r) => [
    r.label,
    formatInteger(r.single.rps),
    ceiling && r.framework === "fastify" ? (r.single.rps / ceiling.single.rps).toFixed(2) : "—",
    formatPct(r.single.spreadPct),
    r.single.p99Ms.toFixed(1),
    r.single.cpuMicrosPerRequest.toFixed(1),
    formatInteger(r.pool.rps),
    formatPct(r.pool.spreadPct),
    r.pool.p99Ms.toFixed(1),
    r.pool.cpuMicrosPerRequest.toFixed(1),
    String(r.single.failures + r.pool.failures),
  ]);
  const table = renderTable(
    [
      { title: "GET /profile", align: "left" },
      { title: "single req/s", align: "right" },
      { title: "× ceiling", align: "right" },
      { title: "spread", align: "right" },
      { title: "p99 ms", align: "right" },
      { title: "CPU µs/req", align: "right" },
      { title: "pool req/s", align: "right" },
      { title: "spread", align: "right" },
      { title: "p99 ms", align: "right" },
      { title: "CPU µs/req", align: "right" },
      { title: "failed", align: "right" },
    ],
    rows,
  );
  const prop = propagationSummary(report);
  const fmt = (v: number | null): string => (v === null ? "n/a" : `${v.toFixed(1)} ms`);
  return [
    `bench:verifier — ${machine.cpuModel}, ${machine.cores} cores, ${machine.node} (OpenSSL ${machine.openssl}), load avg ${machine.loadAvg1m.toFixed(2)}`,
    `versions: ${Object.entries(report.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
    "",
    table,
    "",
    `revocation propagation (${report.propagation.rounds} rounds, ${report.propagation.probes} verifier processes): p50 ${fmt(prop.p50)}, p99 ${fmt(prop.p99)}, max ${fmt(prop.max)}; codes ${JSON.stringify(report.propagation.codes)}`,
    `mirror memory: ${report.memory.entries} revoked sessions use ${(report.memory.heapBytes / 2 ** 20).toFixed(1)} MiB (${report.memory.bytesPerEntry.toFixed(0)} bytes each)`,
    `snapshot parse: ${report.parse.bytes} characters in ${report.parse.chunkBytes}-byte chunks, median ${report.parse.medianMs.toFixed(1)} ms over ${report.parse.rounds} rounds`,
    ...(report.skipped.length > 0 ? ["", ...report.skipped.map((s) => `skipped ${s.id}: ${s.reason}`)] : []),
    "",
    "targets:",
    ...report.targets.results.map((t) => `  ${formatTarget(t)}`),
    "",
    "notes:",
    ...report.notes.map((note) => `  - ${note}`),
  ].join("\n");
}
