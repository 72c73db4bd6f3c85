// What a benchmark ran on. Numbers without the machine, the runtime and the exact library
// versions cannot be compared or reproduced.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly availableParallelism: number;
  readonly totalMemMiB: number;
  readonly platform: string;
  readonly osRelease: string;
  readonly node: string;
  readonly v8: string;
  readonly openssl: string;
  /** 1-minute load average when the run started; above ~0.5 per core the numbers are suspect. */
  readonly loadAvg1m: number;
  readonly nodeFlags: readonly string[];
  readonly date: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: `${process.platform}-${process.arch}`,
    osRelease: os.release(),
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    loadAvg1m: os.loadavg()[0] ?? 0,
    nodeFlags: [...process.execArgv],
    date: new Date().toISOString(),
  };
}

/**
 * The version of an installed package, read from its own package.json (found by walking up
 * from its resolved entry point, since `exports` maps often hide `package.json`).
 * Returns "not installed" instead of throwing, so a missing peer shows up in the report.
 */
export function packageVersion(name: string, fromUrl: string): string {
  const require = createRequire(fromUrl);
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return "not installed";
  }
  let dir = dirname(entry);
  for (let depth = 0; depth < 10; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === name && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json at this level; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "unknown";
}
