import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type BenchReport,
  type CommandIO,
  MAX_ROUNDS,
  parseBenchArgs,
  parseRounds,
  positiveInt,
  runBenchCommand,
} from "./cli.js";

/** Records what a command writes and the exit it asks for, instead of ending the test process. */
function recordingIO(argv: string[]): CommandIO & { stdout: string; stderr: string; exits: number[] } {
  const io = {
    argv,
    stdout: "",
    stderr: "",
    exits: [] as number[],
    writeStdout(text: string): void {
      io.stdout += text;
    },
    writeStderr(text: string): void {
      io.stderr += text;
    },
    exit(code: number): void {
      io.exits.push(code);
    },
  };
  return io;
}

const USAGE = "usage: npm run bench:test -- [--quick] [--json] [--rounds N]";

type Targets = BenchReport["targets"];

/** A command whose run records its settings and returns a report with `targets`. */
function command(run: (settings: { rounds: number; quick: boolean }) => Promise<Targets> | Promise<void>) {
  return {
    name: "bench:test",
    usage: USAGE,
    options: { rounds: { type: "string" } },
    settings: (values: { rounds?: string; quick: boolean }) => ({
      rounds: parseRounds(values.rounds, values.quick ? 1 : 5),
      quick: values.quick,
    }),
    run: async (settings: { rounds: number; quick: boolean }) => {
      const targets = (await run(settings)) as Targets;
      const report: BenchReport = { durationSec: 1.25, ...(targets === undefined ? {} : { targets }) };
      return { report, renderText: () => "the text report" };
    },
  } as const;
}

describe("bench command line", () => {
  test("--rounds outside 1 … 50, fractional or not a number is refused with the value quoted", () => {
    for (const bad of ["0", "-1", String(MAX_ROUNDS + 1), "2.5", "five", ""]) {
      assert.throws(
        () => parseRounds(bad, 5),
        { message: `--rounds must be 1 … ${MAX_ROUNDS}, got "${bad}"` },
        `--rounds ${JSON.stringify(bad)}`,
      );
    }
  });

  test("--rounds: the fallback when absent, the value within bounds", () => {
    assert.equal(parseRounds(undefined, 5), 5);
    assert.equal(parseRounds("1", 5), 1);
    assert.equal(parseRounds(String(MAX_ROUNDS), 5), MAX_ROUNDS);
  });

  test("positive integer options name the option in their error", () => {
    assert.throws(() => positiveInt("0", "pool", 4), { message: '--pool must be a positive integer, got "0"' });
    assert.throws(() => positiveInt("1.5", "samples", 4), {
      message: '--samples must be a positive integer, got "1.5"',
    });
    assert.equal(positiveInt(undefined, "pool", 4), 4);
    assert.equal(positiveInt("12", "pool", 4), 12);
  });

  test("the common flags default to false and come with the benchmark's own options", () => {
    const options = { rounds: { type: "string" }, "no-pin": { type: "boolean", default: false } } as const;
    assert.deepEqual({ ...parseBenchArgs([], options) }, { quick: false, json: false, help: false, "no-pin": false });
    assert.deepEqual(
      { ...parseBenchArgs(["--quick", "--json", "--rounds", "3", "--no-pin"], options) },
      { quick: true, json: true, help: false, rounds: "3", "no-pin": true },
    );
    assert.throws(() => parseBenchArgs(["--bogus"], options), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
    assert.throws(() => parseBenchArgs(["extra"], options), { code: "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" });
  });

  test("a bad option prints the error and the usage on stderr and exits 2 without running", async () => {
    let ran = false;
    const io = recordingIO(["--rounds", "0"]);
    await runBenchCommand(
      command(async () => {
        ran = true;
      }),
      io,
    );
    assert.equal(ran, false);
    assert.deepEqual(io.exits, [2]);
    assert.equal(io.stderr, `bench:test: --rounds must be 1 … 50, got "0"\n${USAGE}\n`);

    const unknown = recordingIO(["--bogus"]);
    await runBenchCommand(
      command(async () => {}),
      unknown,
    );
    assert.deepEqual(unknown.exits, [2]);
    assert.match(unknown.stderr, /^bench:test: Unknown option '--bogus'/);
    assert.ok(unknown.stderr.endsWith(`${USAGE}\n`));
  });

  test("--help prints the usage and exits 0, even next to a bad value", async () => {
    const io = recordingIO(["--help", "--rounds", "0"]);
    await runBenchCommand(
      command(async () => assert.fail("must not run")),
      io,
    );
    assert.deepEqual(io.exits, [0]);
    assert.equal(io.stderr, `${USAGE}\n`);
  });

  test("the settings reach the run; --json prints exactly the report as JSON on stdout; no exit", async () => {
    const seen: unknown[] = [];
    const io = recordingIO(["--quick", "--json"]);
    await runBenchCommand(
      command(async (settings) => {
        seen.push(settings);
      }),
      io,
    );
    assert.deepEqual(seen, [{ rounds: 1, quick: true }]);
    assert.deepEqual(io.exits, []);
    assert.deepEqual(JSON.parse(io.stdout), { durationSec: 1.25 });
    assert.equal(io.stderr, "bench:test done in 1.3 s\n");
  });

  test("without --json the text report goes to stdout; missed targets are named on stderr", async () => {
    const io = recordingIO([]);
    await runBenchCommand(
      command(async () => ({ allPassed: false, failed: ["login >= 0.85", "p99 <= 3x"] })),
      io,
    );
    assert.equal(io.stdout, "the text report\n");
    assert.equal(io.stderr, "\n!! targets missed: login >= 0.85; p99 <= 3x\nbench:test done in 1.3 s\n");
    assert.deepEqual(io.exits, [], "a missed target is a measurement, not a failure");
  });

  test("log writes lines to stderr", async () => {
    const io = recordingIO([]);
    await runBenchCommand(
      {
        name: "bench:test",
        usage: USAGE,
        options: {},
        settings: () => undefined,
        run: async (_settings, log) => {
          log("progress");
          return { report: { durationSec: 0 }, renderText: () => "" };
        },
      },
      io,
    );
    assert.equal(io.stderr, "progress\nbench:test done in 0.0 s\n");
  });

  test("a failing run prints 'failed:' and the stack, and exits 1", async () => {
    const io = recordingIO([]);
    await runBenchCommand(
      command(async () => {
        throw new Error("harness broke");
      }),
      io,
    );
    assert.deepEqual(io.exits, [1]);
    assert.match(io.stderr, /^bench:test failed: Error: harness broke\n {4}at /);
  });
});
