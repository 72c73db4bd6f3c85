import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { splitLines } from "../src/commands/users-lines.js";
import { isOneLineError, run } from "./helpers.js";

async function collect(chunks: (string | Uint8Array)[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of splitLines(
    (async function* () {
      yield* chunks;
    })(),
  )) {
    lines.push(line);
  }
  return lines;
}

describe("splitLines (the JSON-lines reader of users import)", () => {
  test("LF and CRLF, blank lines kept (line numbers stay true), a last line without newline", async () => {
    assert.deepEqual(await collect(["a\r\n\nb\n", "c"]), ["a", "", "b", "c"]);
    assert.deepEqual(await collect(["a\n"]), ["a"]);
    assert.deepEqual(await collect([]), []);
  });

  test("lines and UTF-8 characters split across chunks", async () => {
    const bytes = Buffer.from('{"email":"zoë@example.com"}\n{"x":1}\n', "utf8");
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ë"
    assert.deepEqual(await collect([bytes.subarray(0, cut), bytes.subarray(cut, cut + 5), bytes.subarray(cut + 5)]), [
      '{"email":"zoë@example.com"}',
      '{"x":1}',
    ]);
  });

  test("an endless line is cut (still too long for the importer) without buffering it all", async () => {
    const huge = "x".repeat(40_000);
    const lines = await collect(["ok\n", huge, huge, huge, "\nnext\n"]);
    assert.equal(lines.length, 3);
    assert.equal(lines[0], "ok");
    assert.equal(lines[1]?.length, 64 * 1024 + 1);
    assert.equal(lines[2], "next");
  });
});

describe("sigil users import: usage (nothing opened)", () => {
  test("a missing file is one line, exit 2", async () => {
    const result = await run(["users", "import", "/nonexistent/users.jsonl"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read users file '\/nonexistent\/users.jsonl': no such file/);
  });
  test("no file, two files, stdin on a terminal", async () => {
    for (const [argv, expected] of [
      [["users", "import"], /give the JSON-lines file to import, or - for stdin/],
      [["users", "import", "a", "b"], /takes one file, got 2 arguments/],
      [["users", "import", "-"], /reads JSON lines from stdin: pipe a file into it/],
    ] as const) {
      const result = await run(argv, { stdinTTY: true });
      assert.ok(isOneLineError(result), result.stderr);
      assert.equal(result.code, 2);
      assert.match(result.stderr, expected);
    }
  });
});
