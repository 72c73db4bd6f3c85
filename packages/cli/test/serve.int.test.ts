// `sigil serve` failing late — after the database is open — still fails with one line and
// leaves the data directory unlocked.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { isOneLineError, pgliteDataDir, run } from "./helpers.js";

test("a port already in use names SIGIL_PORT; the database is closed and the lock released", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const address = blocker.address();
  assert.ok(typeof address === "object" && address !== null);
  try {
    const dataDir = await pgliteDataDir();
    const result = await run(["serve"], {
      env: { SIGIL_DATA_DIR: dataDir, SIGIL_PORT: String(address.port), SIGIL_LOG_LEVEL: "silent" },
    });
    assert.ok(isOneLineError(result), result.stderr);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`^sigil: error: SIGIL_PORT: port ${address.port} is already in use on 127\\.0\\.0\\.1`),
    );
    assert.equal(existsSync(join(dataDir, "sigil.lock")), false);
    assert.equal(process.listenerCount("SIGTERM"), 0, "no signal handler left behind");
  } finally {
    blocker.close();
  }
});
