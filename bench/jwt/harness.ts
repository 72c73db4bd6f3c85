// The benchmark core, separate from the CLI so a test can run it for a few milliseconds.
// Per algorithm: build keys and tokens, prepare and validate every contender, then sample all
// of that algorithm's cases interleaved, and express each result against raw node:crypto.

import { type MachineInfo, packageVersion } from "../lib/machine.js";
import { sampleInterleaved } from "../lib/sampler.js";
import { pairedRatio, summarize } from "../lib/stats.js";
import { type Operation, type PreparedCase, signLoop, validateSigner, validateVerifier, verifyLoop } from "./cases.js";
import type { CacheMode, Contender } from "./contenders/contender.js";
import { raw } from "./contenders/raw.js";
import { type AlgFixture, type BenchAlgorithm, createFixture } from "./fixtures.js";

export interface HarnessOptions {
  readonly algorithms: readonly BenchAlgorithm[];
  readonly contenders: readonly Contender[];
  readonly samples: number;
  readonly sampleMs: number;
  readonly warmupMs: number;
  /** Distinct tokens cycled by the "off" and "miss" cases; the "miss" caches hold half as many. */
  readonly poolSize: number;
  /** Progress lines (stderr in the CLI; never stdout, which may carry JSON). */
  readonly log: (line: string) => void;
}

export interface BenchResult {
  readonly alg: BenchAlgorithm;
  readonly op: Operation;
  readonly impl: string;
  readonly role: Contender["role"];
  readonly cache: CacheMode;
  /** How the key was given, e.g. "KeyObject". */
  readonly keyForm: string;
  readonly opsPerSec: number;
  readonly usPerOp: number;
  /** (max - min) / median of the samples' ops/s, in percent. */
  readonly spreadPct: number;
  readonly iqrPct: number;
  readonly samples: number;
  readonly sampleOpsPerSec: readonly number[];
  /** impl µs / raw µs for the same alg and op (raw verifies without a cache). */
  readonly costVsRaw: number | null;
  /** raw µs / impl µs: the fraction of raw's throughput this reaches. */
  readonly xOfRaw: number | null;
  /**
   * The median over rounds of (impl µs / raw µs) within the same round: cancels drift between
   * rounds, so it is the steadier estimate on a noisy machine (the targets use it).
   */
  readonly pairedCostVsRaw: number | null;
  /** Accepted the fixture's tokens and rejected expired, tampered and disallowed-alg tokens. */
  readonly validated: true;
}

export interface SkippedCase {
  readonly alg: BenchAlgorithm;
  readonly op: Operation;
  readonly impl: string;
  readonly cache: CacheMode;
  readonly reason: string;
  /** True when the implementation ran but failed validation (a bug somewhere, not a gap). */
  readonly failed: boolean;
}

export interface HarnessOutput {
  readonly results: BenchResult[];
  readonly skipped: SkippedCase[];
}

export type { MachineInfo };

/** Versions of the packages measured, read from their package.json files. */
export function measuredPackages(fromUrl: string): Record<string, string> {
  const names = ["@sigil/jwt", "fast-jwt", "jsonwebtoken", "jose"];
  return Object.fromEntries(names.map((name) => [name, packageVersion(name, fromUrl)]));
}

async function prepareCases(
  fixture: AlgFixture,
  options: HarnessOptions,
): Promise<{ cases: PreparedCase[]; skipped: SkippedCase[] }> {
  const cases: PreparedCase[] = [];
  const skipped: SkippedCase[] = [];
  const { alg } = fixture;
  const rawVerifier = await raw.createVerifier(fixture, "off", options.poolSize);
  const cacheSize = Math.max(1, Math.floor(options.poolSize / 2));
  for (const contender of options.contenders) {
    const gap = contender.unsupported(alg);
    const add = (op: Operation, cache: CacheMode, run: PreparedCase["run"]): void => {
      const id = `${alg} ${op} ${cache} ${contender.name}`;
      cases.push({ id, alg, op, cache, contender, run });
    };
    const skip = (op: Operation, cache: CacheMode, reason: string, failed: boolean): void => {
      skipped.push({ alg, op, impl: contender.name, cache, reason, failed });
    };
    if (gap !== undefined) {
      for (const cache of contender.cacheModes) skip("verify", cache, gap, false);
      skip("sign", "off", gap, false);
      continue;
    }
    try {
      const sign = await contender.createSigner(fixture);
      add("sign", "off", signLoop(sign, await validateSigner(sign, rawVerifier, fixture)));
    } catch (error) {
      skip("sign", "off", `failed validation: ${(error as Error).message}`, true);
    }
    for (const cache of contender.cacheModes) {
      try {
        const verifier = await contender.createVerifier(fixture, cache, cacheSize);
        const isAsync = await validateVerifier(verifier, fixture);
        const inputs = cache === "hit" ? fixture.tokens.slice(0, 1) : fixture.tokens;
        add("verify", cache, verifyLoop(verifier.verify, inputs, isAsync));
      } catch (error) {
        skip("verify", cache, `failed validation: ${(error as Error).message}`, true);
      }
    }
  }
  // Cases compared with each other run next to each other in every round, so a burst of
  // load on the machine tends to hit a whole comparison group rather than one member of it.
  const groupOrder = (c: PreparedCase): number =>
    ["sign/off", "verify/off", "verify/miss", "verify/hit"].indexOf(`${c.op}/${c.cache}`);
  cases.sort((a, b) => groupOrder(a) - groupOrder(b));
  return { cases, skipped };
}

function toResults(cases: readonly PreparedCase[], samples: Map<string, number[]>): BenchResult[] {
  const results = cases.map((c) => {
    const values = samples.get(c.id) ?? [];
    const summary = summarize(values);
    return { c, summary, usPerOp: 1e6 / summary.median };
  });
  return results.map(({ c, summary, usPerOp }) => {
    const baseline = results.find((r) => r.c.contender.role === "raw" && r.c.op === c.op && r.c.alg === c.alg);
    return {
      alg: c.alg,
      op: c.op,
      impl: c.contender.name,
      role: c.contender.role,
      cache: c.cache,
      keyForm: c.contender.keyForm,
      opsPerSec: summary.median,
      usPerOp,
      spreadPct: summary.spreadPct,
      iqrPct: summary.iqrPct,
      samples: summary.count,
      sampleOpsPerSec: samples.get(c.id) ?? [],
      costVsRaw: baseline ? usPerOp / baseline.usPerOp : null,
      xOfRaw: baseline ? baseline.usPerOp / usPerOp : null,
      pairedCostVsRaw: baseline ? pairedRatio(samples.get(baseline.c.id) ?? [], samples.get(c.id) ?? []) : null,
      validated: true,
    };
  });
}

/** Runs every case of every requested algorithm and returns the measured results. */
export async function runHarness(options: HarnessOptions): Promise<HarnessOutput> {
  const results: BenchResult[] = [];
  const skipped: SkippedCase[] = [];
  for (const alg of options.algorithms) {
    const fixture = createFixture(alg, { poolSize: options.poolSize });
    const prepared = await prepareCases(fixture, options);
    skipped.push(...prepared.skipped);
    for (const failure of prepared.skipped.filter((s) => s.failed)) {
      options.log(`!! ${alg} ${failure.op} ${failure.impl} (${failure.cache}): ${failure.reason}`);
    }
    options.log(`${alg}: ${prepared.cases.length} cases x ${options.samples} samples of ~${options.sampleMs} ms`);
    const samples = await sampleInterleaved(prepared.cases, {
      samples: options.samples,
      sampleMs: options.sampleMs,
      warmupMs: options.warmupMs,
      onRound: (round, of) => options.log(`  ${alg}: round ${round}/${of}`),
    });
    results.push(...toResults(prepared.cases, samples));
  }
  return { results, skipped };
}
