// `sigil keys rotate` against a real PGlite data directory (no server: PGlite is one process at a
// time), and against PostgreSQL beside a running key manager.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { KeyManager, loadConfig, migrate, openPGlite, openPostgres } from "@sigil/server";
import { createTestDatabase, findPostgresBinaries, stopPostgresAfterTests } from "@sigil/server/testing";
import { isOneLineError, pgliteDataDir, run, tempDir } from "./helpers.js";

const NOW = Date.parse("2026-11-24T12:00:00Z");

async function publishedKids(env: Record<string, string>): Promise<string[]> {
  const config = loadConfig(env);
  const db = await openPGlite(config.dataDir);
  try {
    const keys = await KeyManager.open(db, config, { now: () => NOW });
    await keys.stop();
    return keys.jwks().keys.map((key) => String(key.kid));
  } finally {
    await db.close();
  }
}

describe("sigil keys rotate", () => {
  test("creates a key published now that signs later; the JWKS then holds both keys", async () => {
    const kek = randomBytes(32).toString("base64url");
    const env = { SIGIL_DATA_DIR: await pgliteDataDir(), SIGIL_KEY_ENCRYPTION_KEY: kek, NO_COLOR: "1" };
    // The first key is created on first use; it is younger than 30 days, so the schedule leaves it.
    const young = await run(["keys", "rotate", "--if-older-than", "30d"], { env, now: NOW });
    assert.equal(young.code, 0, young.stderr);
    assert.equal(young.stdout, "the signing key has signed for less than 30d: not rotated\n");

    const result = await run(["keys", "rotate"], { env, now: NOW });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "", "with a KEK there is nothing to warn about");
    const kid = /^kid: +(\S+)$/m.exec(result.stdout)?.[1];
    assert.ok(kid, result.stdout);
    assert.match(result.stdout, /^alg: +EdDSA$/m);
    // PGlite: no server runs beside the command, so the key is published when the server starts;
    // it signs after the JWKS max-age (5 min), a reload interval and a margin.
    assert.match(
      result.stdout,
      /^published: +when the server starts \(PGlite: no server runs beside this command\); start it before the time below$/m,
    );
    assert.match(result.stdout, /^signs from: 2026-11-24T12:07:\d\dZ \(in 7 min( \d+ s)?\)$/m);
    const retired = /^retires: +(\S+) \(stops signing then; stays in the JWKS/m.exec(result.stdout)?.[1];
    assert.ok(retired, result.stdout);
    assert.notEqual(retired, kid);

    const kids = await publishedKids(env);
    assert.equal(kids.length, 2);
    assert.deepEqual(new Set(kids), new Set([kid, retired]));

    const again = await run(["keys", "rotate"], { env, now: NOW + 1000 });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^a rotation is already pending: no new key was created$/m);
    assert.match(again.stdout, new RegExp(`^kid: +${kid}$`, "m"));

    const wrongKek = randomBytes(32).toString("base64url");
    const refused = await run(["keys", "rotate"], { env: { ...env, SIGIL_KEY_ENCRYPTION_KEY: wrongKek } });
    assert.ok(isOneLineError(refused), refused.stderr);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^sigil: error: SIGIL_KEY_ENCRYPTION_KEY: KEK_MISMATCH: /);
    assert.equal((await publishedKids(env)).length, 2, "nothing sealed under the wrong KEK was stored");
  });

  test("without a KEK (development) it warns that the new key is stored unencrypted", async () => {
    const rotated = await run(["keys", "rotate"], {
      env: { SIGIL_DATA_DIR: await pgliteDataDir(), NO_COLOR: "1" },
      now: NOW,
    });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /^kid: /m);
    assert.match(
      rotated.stderr,
      /^warning: SIGIL_KEY_ENCRYPTION_KEY is not set: the new private key is stored unencrypted/,
    );
  });

  test("refusals: a bad duration, HS256 single-service mode", async () => {
    const bad = await run(["keys", "rotate", "--if-older-than", "soon"]);
    assert.ok(isOneLineError(bad), bad.stderr);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--if-older-than must be seconds or a number with s, m, h or d/);

    const dataDir = await tempDir();
    const hmac = await run(["keys", "rotate"], {
      env: {
        SIGIL_DATA_DIR: dataDir,
        SIGIL_SIGNING_ALG: "HS256",
        SIGIL_HMAC_SECRET: randomBytes(32).toString("base64url"),
      },
    });
    assert.ok(isOneLineError(hmac), hmac.stderr);
    assert.equal(hmac.code, 1);
    assert.match(hmac.stderr, /SIGIL_SIGNING_ALG is HS256 \(single-service mode\): .*no stored keys to rotate/);
    assert.deepEqual(readdirSync(dataDir), [], "refused before opening the database");
  });

  test("`sigil keys` alone lists its subcommands", async () => {
    const result = await run(["keys"]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /keys rotate {2}introduce a new signing key/);
  });
});

const postgresSkip = findPostgresBinaries() ? false : "PostgreSQL binaries not found";
if (!postgresSkip) stopPostgresAfterTests();

describe("sigil keys rotate on PostgreSQL", { skip: postgresSkip }, () => {
  test("a running server's key manager publishes the new key on the notification; the output says so", {
    timeout: 60_000, // only so that a lost notification cannot hang the run; nothing is timed
  }, async () => {
    const env = {
      DATABASE_URL: await createTestDatabase(),
      SIGIL_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
      NO_COLOR: "1",
    };
    const config = loadConfig(env);
    const db = await openPostgres(env.DATABASE_URL);
    await migrate(db);
    const server = await KeyManager.open(db, config, { now: () => NOW });
    let heard: () => void = () => {};
    const changed = new Promise<void>((resolve) => {
      heard = resolve;
    });
    const errors: unknown[] = [];
    try {
      // As `sigil serve` does; its re-read timer (every 60 s here) is not what this test waits for.
      await server.startSchedule({ onKeyChange: () => heard(), onError: (error) => errors.push(error) });
      const result = await run(["keys", "rotate"], { env, now: NOW });
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        /^published: +now: running servers are notified and publish it at once \(each also re-reads the keys every 1 min\)$/m,
      );
      assert.match(result.stdout, /^signs from: 2026-11-24T12:07:\d\dZ /m);
      const kid = /^kid: +(\S+)$/m.exec(result.stdout)?.[1];
      assert.ok(kid, result.stdout);
      await changed;
      assert.ok(
        server.jwks().keys.some((key) => key.kid === kid),
        "the running key manager publishes the new key",
      );
      assert.notEqual(server.signingKey().kid, kid, "and does not sign with it yet");
      assert.deepEqual(errors, []);
    } finally {
      await server.stop();
      await db.close();
    }
  });
});
