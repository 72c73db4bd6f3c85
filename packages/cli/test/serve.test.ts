import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isOneLineError, run, tempDir, writeIn } from "./helpers.js";

describe("sigil serve: refuses to start on a bad setting (one line, exit 2, nothing opened)", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ SIGIL_PORT: "http" }, /^sigil: error: SIGIL_PORT: /],
    [{ SIGIL_ISSUER: "not a url" }, /^sigil: error: SIGIL_ISSUER: must be an absolute URL/],
    [{ SIGIL_ENV: "production" }, /^sigil: error: SIGIL_ISSUER: is required in production/],
    [
      { SIGIL_ENV: "production", SIGIL_ISSUER: "https://auth.example.com" },
      /^sigil: error: SIGIL_KEY_ENCRYPTION_KEY: is required in production.*sigil secret/,
    ],
    [{ SIGIL_KEY_ENCRYPTION_KEY: "short" }, /^sigil: error: SIGIL_KEY_ENCRYPTION_KEY: /],
    [{ DATABASE_URL: "mysql://u:hunter2@db/x" }, /^sigil: error: DATABASE_URL: must be a URL like postgres:/],
  ];
  for (const [env, expected] of cases) {
    test(Object.keys(env).join(" + "), async () => {
      const dir = await tempDir();
      const result = await run(["serve"], { env: { SIGIL_DATA_DIR: join(dir, "data"), ...env } });
      assert.ok(isOneLineError(result), result.stderr);
      assert.equal(result.code, 2);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /hunter2/);
      assert.equal(existsSync(join(dir, "data")), false, "nothing is created before the configuration is valid");
    });
  }

  test("serve takes no arguments", async () => {
    const result = await run(["serve", "--port", "80"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.match(result.stderr, /unknown option --port for 'sigil serve'/);
  });

  test("a data directory that is a file names SIGIL_DATA_DIR", async () => {
    const file = await writeIn(await tempDir(), "not-a-dir", "x");
    const result = await run(["serve"], { env: { SIGIL_DATA_DIR: file } });
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot use the data directory .* \(SIGIL_DATA_DIR\): .* is a file/);
  });

  test("a PostgreSQL server that is not there names DATABASE_URL, never the password", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const result = await run(["serve"], { env: { DATABASE_URL: "postgres://sigil:hunter2@127.0.0.1:1/sigil" } });
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot connect to the PostgreSQL server in DATABASE_URL: ECONNREFUSED/);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });
});

describe("the PGlite data-directory lock", () => {
  test("a directory held by a live process is refused, naming it and the way out", async () => {
    const dir = await tempDir();
    // The test runner that started this file is alive for as long as this test runs.
    await writeIn(dir, "sigil.lock", `${process.ppid}\nsigil serve\n`);
    const result = await run(["users", "import", "-"], { env: { SIGIL_DATA_DIR: dir }, stdin: "" });
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`in use by sigil serve \\(pid ${process.ppid}\\): PGlite lets one process open it at a time`),
    );
    assert.match(result.stderr, /against PostgreSQL with DATABASE_URL/);
    assert.equal(readFileSync(join(dir, "sigil.lock"), "utf8"), `${process.ppid}\nsigil serve\n`, "left alone");
  });
});
