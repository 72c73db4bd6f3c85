// The command-line shell every `npm run bench:*` shares: the --quick/--json/--help flags, number
// options, and one convention for exits — usage on stderr and exit 0 for --help, the error and
// the usage with exit 2 for bad options, the stack with exit 1 when the harness itself fails.
// Progress goes to stderr so that, with --json, stdout carries exactly one JSON object. A missed
// target still exits 0: a benchmark is a measurement, not a test.

import { type ParseArgsConfig, parseArgs } from "node:util";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

const COMMON_OPTIONS = {
  quick: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const satisfies OptionsConfig;

/** What parseBenchArgs returns for a benchmark's own `options`: each option's value by name. */
export type BenchArgs<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof COMMON_OPTIONS & T; strict: true }>
>["values"];

/**
 * bench:server and bench:argon2 have always capped --rounds here: it stops a mistyped count (500
 * for 5) before hours of measuring. bench:verifier takes any positive count.
 */
export const MAX_ROUNDS = 50;

/**
 * Parses `argv` strictly (an unknown option throws) with --quick, --json and --help besides the
 * benchmark's own `options`.
 *
 * @example
 * const values = parseBenchArgs(argv, { rounds: { type: "string" } });
 * const rounds = parseRounds(values.rounds, values.quick ? 1 : 5);
 */
export function parseBenchArgs<const T extends OptionsConfig>(argv: readonly string[], options: T): BenchArgs<T> {
  return parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, strict: true }).values;
}

/** `--rounds`: the fallback when absent; otherwise an integer 1 … MAX_ROUNDS, or a thrown Error. */
export function parseRounds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const rounds = Number(value);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
    throw new Error(`--rounds must be 1 … ${MAX_ROUNDS}, got "${value}"`);
  }
  return rounds;
}

/** A `--name N` option: the fallback when absent; otherwise a positive integer, or a thrown Error. */
export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

export interface BenchCommand<T extends OptionsConfig, Settings> {
  /** As in messages: "bench:jwt". */
  readonly name: string;
  readonly usage: string;
  /** The benchmark's own options, besides --quick, --json and --help. */
  readonly options: T;
  /** Turns the parsed options into settings; throws an Error whose message names the bad option. */
  settings(values: BenchArgs<T>): Settings;
  /** Runs the benchmark; `log` writes a progress line to stderr. May write files of its own (a chart). */
  run(settings: Settings, log: (line: string) => void): Promise<BenchOutcome>;
}

/** What every benchmark's report carries for the shell: its duration and, if it has any, its targets. */
export interface BenchReport {
  readonly durationSec: number;
  readonly targets?: { readonly allPassed: boolean; readonly failed: readonly string[] };
}

/** A finished run: the report (printed as JSON with --json) and its text rendering (otherwise). */
export interface BenchOutcome {
  readonly report: BenchReport;
  renderText(): string;
}

/** Where a command reads and writes; replaced in tests, where exiting would end the test run. */
export interface CommandIO {
  readonly argv: readonly string[];
  writeStdout(text: string): void;
  writeStderr(text: string): void;
  exit(code: number): void;
}

const PROCESS_IO: CommandIO = {
  argv: process.argv.slice(2),
  writeStdout: (text) => {
    process.stdout.write(text);
  },
  writeStderr: (text) => {
    process.stderr.write(text);
  },
  exit: (code) => process.exit(code),
};

/**
 * Parses the arguments and runs the benchmark, with the exits described at the top of this file.
 * --help wins over any other option's value, as long as every option is known.
 */
export async function runBenchCommand<const T extends OptionsConfig, Settings>(
  command: BenchCommand<T, Settings>,
  io: CommandIO = PROCESS_IO,
): Promise<void> {
  let parsed: { settings: Settings; json: boolean };
  try {
    const values = parseBenchArgs(io.argv, command.options);
    // TypeScript cannot see through parseArgs's result type for a generic T; COMMON_OPTIONS's
    // defaults make both flags always present.
    const { help, json } = values as unknown as { help: boolean; json: boolean };
    if (help) {
      io.writeStderr(`${command.usage}\n`);
      io.exit(0);
      return;
    }
    parsed = { settings: command.settings(values), json };
  } catch (error) {
    io.writeStderr(`${command.name}: ${(error as Error).message}\n${command.usage}\n`);
    io.exit(2);
    return;
  }
  const log = (line: string): void => {
    io.writeStderr(`${line}\n`);
  };
  try {
    const { report, renderText } = await command.run(parsed.settings, log);
    io.writeStdout(`${parsed.json ? JSON.stringify(report, null, 2) : renderText()}\n`);
    if (report.targets !== undefined && !report.targets.allPassed) {
      log(`\n!! targets missed: ${report.targets.failed.join("; ")}`);
    }
    log(`${command.name} done in ${report.durationSec.toFixed(1)} s`);
  } catch (error) {
    io.writeStderr(`${command.name} failed: ${(error as Error).stack ?? String(error)}\n`);
    io.exit(1);
  }
}
