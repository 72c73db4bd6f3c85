// The targets of issue 4 §2 and §5, evaluated on one run's numbers. Ratios of two approaches use
// the median of per-round ratios (pairedRatio): a slow round slows both sides of a pair alike.

import { pairedRatio, quantile } from "../lib/stats.js";
import type { ApproachId } from "./approaches.js";
import type { ApproachResult } from "./http-bench.js";
import type { LoadMode } from "./load.js";
import type { MemoryResult } from "./memory.js";
import type { ParseResult } from "./parse.js";
import type { PropagationResult } from "./propagation.js";

export interface TargetResult {
  readonly id: string;
  readonly description: string;
  /** The measured value (a ratio, milliseconds or bytes, see `unit`), null when it could not be measured. */
  readonly value: number | null;
  readonly threshold: number;
  readonly unit: "ratio" | "ms" | "bytes";
  readonly passed: boolean;
  /**
   * For req/s ratios: the same ratio from server CPU time per request (denominator's µs / numerator's
   * µs, paired by round) — the steadier estimate on a shared machine; informational, `passed` uses req/s.
   */
  readonly cpuBasedValue?: number | null;
}

export interface TargetReport {
  readonly results: readonly TargetResult[];
  readonly allPassed: boolean;
  readonly failed: readonly string[];
}

/** Like with like: each peer against the Sigil row of the same algorithm and framework. */
export const PEER_COMPARISONS: ReadonlyArray<{ readonly sigil: ApproachId; readonly peer: ApproachId }> = [
  { sigil: "sigil-hs256", peer: "fastify-jwt-hs256" },
  { sigil: "sigil-eddsa", peer: "fastify-jwt-eddsa" },
  { sigil: "express-sigil-hs256", peer: "express-jwt-hs256" },
  { sigil: "sigil-eddsa", peer: "fastify-redis-session" },
  { sigil: "sigil-eddsa", peer: "fastify-postgres-session" },
  { sigil: "sigil-hs256", peer: "fastify-redis-session" },
  { sigil: "sigil-hs256", peer: "fastify-postgres-session" },
];

export const MEMORY_LIMIT_BYTES = 32 * 2 ** 20;
export const PROPAGATION_P99_LIMIT_MS = 50;
/** A 4 MiB snapshot line in 16 KiB chunks: linear parsing takes tens of ms; a quadratic one, seconds. */
export const SNAPSHOT_PARSE_LIMIT_MS = 1000;

function atLeast(
  id: string,
  description: string,
  values: { value: number | null; cpuBasedValue: number | null },
  threshold: number,
): TargetResult {
  const { value, cpuBasedValue } = values;
  return {
    id,
    description,
    value,
    threshold,
    unit: "ratio",
    passed: value !== null && value >= threshold,
    cpuBasedValue,
  };
}

/**
 * numerator ÷ denominator in `mode`, by throughput and by CPU per request; both null when either
 * approach is missing or had failures (no fair ratio).
 */
function ratios(
  http: readonly ApproachResult[],
  numerator: ApproachId,
  denominator: ApproachId,
  mode: LoadMode,
): { value: number | null; cpuBasedValue: number | null } {
  const a = http.find((r) => r.id === numerator)?.[mode];
  const b = http.find((r) => r.id === denominator)?.[mode];
  if (!a || !b || a.failures > 0 || b.failures > 0) return { value: null, cpuBasedValue: null };
  return {
    value: pairedRatio(a.rpsSamples, b.rpsSamples),
    // Throughput on one core is the inverse of CPU per request.
    cpuBasedValue: pairedRatio(b.cpuSamples, a.cpuSamples),
  };
}

export function evaluateTargets(run: {
  http: readonly ApproachResult[];
  propagation: PropagationResult;
  memory: MemoryResult;
  parse: ParseResult;
}): TargetReport {
  const { http, propagation, memory, parse } = run;
  const results: TargetResult[] = [
    atLeast(
      "reuse-vs-ceiling",
      "one token reused: Sigil EdDSA (revocation on) req/s >= 0.90 × fastify without auth",
      ratios(http, "sigil-eddsa", "fastify-none", "single"),
      0.9,
    ),
    atLeast(
      "distinct-vs-raw-verify",
      "10,000 distinct tokens: Sigil EdDSA (revocation on) req/s >= 0.95 × a raw crypto.verify route",
      ratios(http, "sigil-eddsa", "fastify-raw-ed25519", "pool"),
      0.95,
    ),
  ];
  for (const { sigil, peer } of PEER_COMPARISONS) {
    if (!http.some((r) => r.id === peer) || !http.some((r) => r.id === sigil)) continue;
    for (const mode of ["single", "pool"] as const) {
      results.push(
        atLeast(
          `ahead:${sigil}>${peer}:${mode}`,
          `${mode}: ${sigil} req/s > ${peer}`,
          ratios(http, sigil, peer, mode),
          1,
        ),
      );
    }
  }
  const finite = propagation.allProbesMs.filter(Number.isFinite);
  const allRevoked =
    Object.keys(propagation.codes).every((code) => code === "TOKEN_REVOKED") && finite.length === propagation.rounds;
  const p99 = finite.length > 0 ? quantile(finite, 0.99) : null;
  results.push({
    id: "propagation-p99",
    description: `logout → all ${propagation.probes} verifier processes refuse the token (TOKEN_REVOKED): p99 < ${PROPAGATION_P99_LIMIT_MS} ms`,
    value: p99,
    threshold: PROPAGATION_P99_LIMIT_MS,
    unit: "ms",
    passed: allRevoked && p99 !== null && p99 < PROPAGATION_P99_LIMIT_MS,
  });
  results.push({
    id: "mirror-memory",
    description: `a mirror holding ${memory.entries} revoked sessions: heap < 32 MiB`,
    value: memory.heapBytes,
    threshold: MEMORY_LIMIT_BYTES,
    unit: "bytes",
    passed: memory.heapBytes < MEMORY_LIMIT_BYTES,
  });
  results.push({
    id: "snapshot-parse",
    description: `a ${parse.bytes}-character snapshot line in ${parse.chunkBytes}-byte chunks parses in < ${SNAPSHOT_PARSE_LIMIT_MS} ms (median of ${parse.rounds})`,
    value: parse.medianMs,
    threshold: SNAPSHOT_PARSE_LIMIT_MS,
    unit: "ms",
    passed: parse.medianMs < SNAPSHOT_PARSE_LIMIT_MS,
  });
  const failed = results.filter((r) => !r.passed).map((r) => r.id);
  return { results, allPassed: failed.length === 0, failed };
}
