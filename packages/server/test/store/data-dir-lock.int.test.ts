// The embedded database's directory lock: PGlite is one process's database, so the store refuses
// a second opener, whoever calls it (the CLI, or a program embedding the server).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isDataDirError } from "../../src/store/data-dir-error.js";
import { lockDataDir } from "../../src/store/data-dir-lock.js";
import { openPGlite } from "../../src/store/pglite.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "sigil-lock-"));
}

describe("PGlite data directory lock", () => {
  test("a lock left by a dead process is taken over, and released", async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(join(dir, "sigil.lock"), `${dead}\nsigil serve\n`);
    const lock = await lockDataDir(dir, { purpose: "test" });
    assert.equal(readFileSync(join(dir, "sigil.lock"), "utf8"), `${process.pid}\ntest\n`);
    await assert.rejects(lockDataDir(dir, { purpose: "second" }), /in use by test/);
    lock.release();
    lock.release();
    assert.equal(existsSync(join(dir, "sigil.lock")), false);
  });

  test("a lock naming our own pid that we did not take is stale (containers start as pid 1 every time)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "sigil.lock"), `${process.pid}\nsigil serve\n`);
    const lock = await lockDataDir(dir, { purpose: "test" });
    lock.release();
    assert.equal(existsSync(join(dir, "sigil.lock")), false);
  });

  test("openPGlite locks the directory: a second opener is refused until the first closes", async () => {
    const dir = tempDir();
    const first = await openPGlite(dir, { purpose: "the first opener" });
    try {
      await assert.rejects(openPGlite(dir), (error: unknown) => {
        assert.ok(isDataDirError(error));
        assert.equal(error.code, "DATA_DIR_IN_USE");
        assert.match(error.message, /in use by the first opener/);
        assert.match(error.fix ?? "", /DATABASE_URL/);
        return true;
      });
    } finally {
      await first.close();
    }
    assert.equal(existsSync(join(dir, "sigil.lock")), false, "close() released it");
    const second = await openPGlite(dir);
    await second.close();
  });
});
