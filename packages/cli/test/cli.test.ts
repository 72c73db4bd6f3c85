import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import type { Command } from "../src/commands/command.js";
import { runCLI } from "../src/main.js";
import { isOneLineError, run } from "./helpers.js";

const COMMAND_NAMES = ["decode", "verify", "sign", "keygen", "secret", "serve", "keys", "users", "clients"];
/** The auth server's command groups and their subcommands. */
const SUBCOMMANDS: Record<string, string[]> = {
  keys: ["rotate"],
  users: ["import", "sign-out"],
  clients: ["create", "list", "update"],
};

describe("sigil: help and version", () => {
  test("--help lists every command and nothing that does not exist", async () => {
    for (const argv of [["--help"], ["-h"], ["help"], []]) {
      const result = await run(argv);
      assert.equal(result.code, 0);
      const listed = [...result.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
      assert.deepEqual(listed, COMMAND_NAMES);
    }
  });

  test("each command group lists exactly its subcommands, and each has its own help", async () => {
    for (const [group, names] of Object.entries(SUBCOMMANDS)) {
      const result = await run([group, "--help"]);
      assert.equal(result.code, 0);
      const listed = [...result.stdout.matchAll(new RegExp(`^ {2}${group} (\\S+) {2,}`, "gm"))].map((m) => m[1]);
      assert.deepEqual(listed, names, group);
      for (const name of names) {
        const help = await run(["help", group, name]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, new RegExp(`^Usage: sigil ${group} ${name}`));
        assert.equal((await run([group, name, "--help"])).stdout, help.stdout);
      }
    }
  });

  test("help CMD and CMD --help print the command's help", async () => {
    for (const name of COMMAND_NAMES.filter((n) => SUBCOMMANDS[n] === undefined)) {
      const viaHelp = await run(["help", name]);
      const viaFlag = await run([name, "--help"]);
      assert.equal(viaHelp.code, 0);
      assert.match(viaHelp.stdout, new RegExp(`^Usage: sigil ${name}`));
      assert.equal(viaFlag.stdout, viaHelp.stdout);
    }
    assert.match((await run(["verify", "-h"])).stdout, /--secret-env VAR/);
  });

  test("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const result = await run(["--version"]);
    assert.equal(result.stdout, `sigil ${version}\n`);
  });
});

describe("sigil: unknown commands and options (exit 2, one line)", () => {
  test("unknown command with a did-you-mean hint", async () => {
    const result = await run(["decod", "x"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'decod' \(did you mean 'sigil decode'\?\)/);
  });
  test("unknown command without a near match", async () => {
    const result = await run(["frobnicate"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /unknown command 'frobnicate' \(see: sigil --help\)/);
  });
  test("help for an unknown command", async () => {
    const result = await run(["help", "nope"]);
    assert.ok(isOneLineError(result), result.stderr);
  });
  test("an option before the command", async () => {
    const result = await run(["--json", "decode"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 2);
  });
});

describe("sigil: top-level error handling", () => {
  const io = (env: Record<string, string> = {}) => {
    const captured = { stdout: "", stderr: "" };
    return {
      captured,
      io: {
        stdin: Readable.from([]),
        stdout: { write: (s: string) => (captured.stdout += s) },
        stderr: { write: (s: string) => (captured.stderr += s) },
        env,
      },
    };
  };
  const crashing: Command = {
    name: "crash",
    summary: "throws an unexpected error",
    help: "Usage: sigil crash",
    run: () => Promise.reject(new TypeError("boom\nsecond line")),
  };

  test("an unexpected error is one line and exit 1, without a stack", async () => {
    const { io: testIO, captured } = io();
    assert.equal(await runCLI([crashing], ["crash"], testIO), 1);
    assert.equal(captured.stderr, "sigil: error: boom\n");
  });

  test("SIGIL_DEBUG=1 shows the stack", async () => {
    const { io: testIO, captured } = io({ SIGIL_DEBUG: "1" });
    assert.equal(await runCLI([crashing], ["crash"], testIO), 1);
    assert.match(captured.stderr, /^sigil: error: boom\nTypeError: boom\nsecond line\n\s+at /);
  });

  test("command groups: `sigil keys rotate` dispatches to the subcommand", async () => {
    const calls: string[][] = [];
    const rotate: Command = {
      name: "rotate",
      summary: "rotate the signing key",
      help: "Usage: sigil keys rotate",
      run: (args) => {
        calls.push([...args]);
        return Promise.resolve(0);
      },
    };
    const keys: Command = {
      name: "keys",
      summary: "manage signing keys",
      help: "Usage: sigil keys <command>",
      subcommands: [rotate],
      run: () => Promise.reject(new Error("a group never runs")),
    };
    const ok = io();
    assert.equal(await runCLI([keys], ["keys", "rotate", "--now"], ok.io), 0);
    assert.deepEqual(calls, [["--now"]]);

    const missing = io();
    assert.equal(await runCLI([keys], ["keys"], missing.io), 2);
    assert.match(missing.captured.stdout, /keys rotate {2}rotate the signing key/);

    const unknown = io();
    assert.equal(await runCLI([keys], ["keys", "rotat"], unknown.io), 2);
    assert.match(unknown.captured.stderr, /unknown command 'keys rotat' \(did you mean 'sigil keys rotate'\?\)/);

    const help = io();
    assert.equal(await runCLI([keys], ["help", "keys", "rotate"], help.io), 0);
    assert.equal(help.captured.stdout, "Usage: sigil keys rotate\n");
  });
});
