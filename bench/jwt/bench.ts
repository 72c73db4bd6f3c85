// One benchmark run, end to end: contenders, harness, targets, machine description.
// Returns the report object that `--json` prints; run.ts only parses flags and prints.

import { describeMachine, type MachineInfo } from "../lib/machine.js";
import type { Contender } from "./contenders/contender.js";
import { fastJWT } from "./contenders/fast-jwt.js";
import { joseContender } from "./contenders/jose.js";
import { jsonwebtoken } from "./contenders/jsonwebtoken.js";
import { raw } from "./contenders/raw.js";
import { loadSigil, sigilContender } from "./contenders/sigil.js";
import type { BenchAlgorithm } from "./fixtures.js";
import { type BenchResult, measuredPackages, runHarness, type SkippedCase } from "./harness.js";
import { evaluateTargets, type TargetResult } from "./targets.js";

export interface BenchSettings {
  readonly algorithms: readonly BenchAlgorithm[];
  readonly samples: number;
  readonly sampleMs: number;
  readonly warmupMs: number;
  readonly poolSize: number;
}

export interface JWTBenchReport {
  readonly benchmark: "jwt";
  readonly machine: MachineInfo;
  readonly packages: Record<string, string>;
  readonly settings: BenchSettings;
  /** Why Sigil was not measured, when it was not. */
  readonly sigilUnavailable: string | null;
  readonly results: readonly BenchResult[];
  /** Cases not timed: unsupported (e.g. jsonwebtoken EdDSA) or failed validation. */
  readonly skipped: readonly SkippedCase[];
  readonly targets: {
    /** Every non-informational target passed. */
    readonly allPassed: boolean;
    readonly failed: readonly string[];
    readonly items: readonly TargetResult[];
  };
  readonly durationSec: number;
}

export const DEFAULT_SETTINGS: Omit<BenchSettings, "algorithms"> = {
  samples: 7,
  sampleMs: 150,
  warmupMs: 150,
  poolSize: 2000,
};

export const QUICK_SETTINGS: Omit<BenchSettings, "algorithms"> = {
  samples: 3,
  sampleMs: 40,
  warmupMs: 40,
  poolSize: 2000,
};

export async function runJWTBench(settings: BenchSettings, log: (line: string) => void): Promise<JWTBenchReport> {
  const started = Date.now();
  const machine = describeMachine();
  const sigil = await loadSigil();
  const sigilUnavailable = typeof sigil === "string" ? sigil : null;
  if (sigilUnavailable) log(`!! Sigil not measured: ${sigilUnavailable}`);
  const contenders: Contender[] = [
    raw,
    ...(typeof sigil === "string" ? [] : [sigilContender(sigil)]),
    fastJWT,
    jsonwebtoken,
    joseContender("KeyObject"),
    joseContender("CryptoKey"),
  ];
  const { results, skipped } = await runHarness({ ...settings, contenders, log });
  const items = evaluateTargets(results, skipped, settings.algorithms, sigilUnavailable ?? undefined);
  const failed = items.filter((t) => t.pass === false && !t.informational).map((t) => t.name);
  return {
    benchmark: "jwt",
    machine,
    packages: measuredPackages(import.meta.url),
    settings,
    sigilUnavailable,
    results,
    skipped,
    targets: { allPassed: failed.length === 0, failed, items },
    durationSec: (Date.now() - started) / 1000,
  };
}
