import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import type { JWKS } from "@sigil/jwt";
import { KeyEncryptionError } from "../../src/keys/key-encryption.js";
import { KeyManager } from "../../src/keys/key-manager.js";
import { type KeyConfig, publishLeadMs, reloadIntervalMs, retainMs } from "../../src/keys/key-timeline.js";
import { KeyManagementError, rotateKeys } from "../../src/keys/rotate-keys.js";
import type { Database } from "../../src/store/database.js";
import { openPostgres } from "../../src/store/postgres.js";
import { listSigningKeys } from "../../src/store/signing-keys.js";
import { describeEachDatabase, FakeTime } from "../../src/testing/index.js";

const kek = randomBytes(32);
const DAY = 86_400;

function keyConfig(overrides: Partial<KeyConfig> = {}): KeyConfig {
  return {
    signingAlg: "EdDSA",
    keyEncryptionKey: kek,
    keyRotationInterval: 30 * DAY,
    jwksMaxAge: 300,
    accessTokenTtl: 900,
    clockTolerance: 30,
    ...overrides,
  };
}

/** A clock the test moves by hand. */
function fakeClock(start = Date.UTC(2026, 10, 24, 12)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

function assertPublicOnly(jwks: JWKS): void {
  for (const key of jwks.keys) {
    for (const member of PRIVATE_MEMBERS) assert.equal(key[member], undefined, `JWKS key ${key.kid} has ${member}`);
    assert.equal(key.use, "sig");
    assert.equal(typeof key.kid, "string");
    assert.equal(typeof key.alg, "string");
    assert.equal(typeof key.kty, "string");
  }
}

const kids = (jwks: JWKS): string[] => jwks.keys.map((key) => String(key.kid)).sort();

/**
 * Another connection to the same database, as another instance or `sigil keys rotate` would
 * open: its own pool on PostgreSQL. PGlite has one connection, in this process (one process at
 * a time can open it), so there "another connection" is the same database object.
 */
async function anotherConnection(db: Database): Promise<Database> {
  if (db.kind === "pglite") return db;
  const { rows } = await db.query<{ user: string; port: number; database: string }>(
    "SELECT current_user AS user, inet_server_port() AS port, current_database() AS database",
  );
  const where = rows[0] ?? assert.fail("no connection details");
  return openPostgres(`postgres://${where.user}@127.0.0.1:${where.port}/${where.database}`);
}

test("HS256 single-service mode signs with the configured secret and publishes nothing", async () => {
  const db = { query: () => assert.fail("HS256 mode must not touch signing_keys") } as never;
  const manager = await KeyManager.open(db, keyConfig({ signingAlg: "HS256", hmacSecret: randomBytes(32) }));
  assert.equal(manager.signingKey().alg, "HS256");
  assert.deepEqual(manager.jwks(), { keys: [] });
  assert.equal(manager.keyRing.find(manager.signingKey().kid).length, 1);
  await assert.rejects(rotateKeys(db, keyConfig({ signingAlg: "HS256" })), KeyManagementError);
});

describeEachDatabase("key manager", (getDb) => {
  test("a KEK that is not the one the keys were sealed with stops the start, naming the setting", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    await KeyManager.open(db, keyConfig());
    await assert.rejects(KeyManager.open(db, keyConfig({ keyEncryptionKey: randomBytes(32) })), (err: unknown) => {
      assert.ok(err instanceof KeyEncryptionError);
      assert.equal(err.code, "KEK_MISMATCH");
      assert.match(err.message, /SIGIL_KEY_ENCRYPTION_KEY/);
      return true;
    });
    // Keys created in development (no KEK) are refused once a KEK is configured.
    await db.query("DELETE FROM signing_keys");
    await KeyManager.open(db, keyConfig({ keyEncryptionKey: undefined }));
    const [row] = await listSigningKeys(db);
    assert.match(row?.privateKeyEncrypted ?? "", /^plain\./);
    await assert.rejects(KeyManager.open(db, keyConfig()), { code: "STORED_KEY_PLAIN" });
  });

  test("first start creates one sealed key; two instances starting at once create exactly one", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const [a, b] = await Promise.all([KeyManager.open(db, keyConfig()), KeyManager.open(db, keyConfig())]);
    const rows = await listSigningKeys(db);
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.privateKeyEncrypted ?? "", /^v1\./);
    assert.equal(a.signingKey().kid, rows[0]?.kid);
    assert.equal(b.signingKey().kid, rows[0]?.kid);
    assert.equal(a.signingKey().alg, "EdDSA");
    assert.deepEqual(a.jwks(), b.jwks());
    assertPublicOnly(a.jwks());
    // A restart loads the same key rather than creating another.
    const c = await KeyManager.open(db, keyConfig());
    assert.equal(c.signingKey().kid, rows[0]?.kid);
    assert.equal((await listSigningKeys(db)).length, 1);
  });

  test("ES256 and RS256 are configurable; a changed algorithm arrives by rotation", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const clock = fakeClock();
    const es = await KeyManager.open(db, keyConfig({ signingAlg: "ES256" }), clock);
    assert.equal(es.signingKey().alg, "ES256");
    assertPublicOnly(es.jwks());
    assert.deepEqual(
      es.jwks().keys.map((key) => [key.kty, key.crv]),
      [["EC", "P-256"]],
    );
    const rs = await KeyManager.open(db, keyConfig({ signingAlg: "RS256" }), clock);
    assert.equal(rs.signingKey().alg, "ES256", "the old key signs until the new one is published long enough");
    assert.deepEqual(
      rs
        .jwks()
        .keys.map((key) => key.kty)
        .sort(),
      ["EC", "RSA"],
    );
    assertPublicOnly(rs.jwks());
    clock.advance(publishLeadMs(keyConfig()));
    assert.equal(rs.signingKey().alg, "RS256");
  });

  test("rotation timeline: published before it signs, old key kept until its tokens expired", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const config = keyConfig();
    const clock = fakeClock();
    const manager = await KeyManager.open(db, config, clock);
    const other = await KeyManager.open(db, config, clock); // a second instance
    const first = manager.signingKey().kid;
    const version = manager.keyRing.version;

    await manager.rotate();
    const rows = await listSigningKeys(db);
    assert.equal(rows.length, 2);
    const second = rows.find((row) => row.kid !== first)?.kid ?? assert.fail("no new key");
    // Published at once, in both instances after their reload, but not signing yet.
    assert.deepEqual(kids(manager.jwks()), [first, second].sort());
    assert.notEqual(manager.keyRing.version, version);
    assert.equal(manager.signingKey().kid, first);
    await other.reload();
    assert.deepEqual(kids(other.jwks()), [first, second].sort());
    assert.equal(manager.keyRing.find(second).length, 1);
    // A second rotation request while one is pending does not stack another key.
    await manager.rotate();
    assert.equal((await listSigningKeys(db)).length, 2);

    clock.advance(publishLeadMs(config) - 1);
    assert.equal(manager.signingKey().kid, first);
    clock.advance(1);
    assert.equal(manager.signingKey().kid, second);
    assert.equal(other.signingKey().kid, second);
    // The retired key stays verifiable for tokens it signed until they expired...
    clock.advance(retainMs(config));
    assert.deepEqual(kids(manager.jwks()), [first, second].sort());
    assert.equal(manager.keyRing.find(first).length, 1);
    // ...and then leaves the JWKS, and the schedule deletes it.
    clock.advance(1_000);
    assert.deepEqual(kids(manager.jwks()), [second]);
    await other.runScheduledWork();
    assert.deepEqual(
      (await listSigningKeys(db)).map((row) => row.kid),
      [second],
    );
    assertPublicOnly(manager.jwks());
  });

  test("rotateKeys (sigil keys rotate): reports the new key and what it retires; a pending rotation is not stacked", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const config = keyConfig();
    const clock = fakeClock();
    const manager = await KeyManager.open(db, config, clock);
    const first = manager.signingKey().kid;
    const result = await rotateKeys(db, config, { now: clock.now });
    assert.ok(result);
    assert.equal(result.created, true);
    assert.equal(result.alg, "EdDSA");
    assert.deepEqual(result.retired, [first]);
    assert.equal(result.activatesAt.getTime(), clock.now() + publishLeadMs(config));
    const again = await rotateKeys(db, config, { now: clock.now });
    assert.deepEqual(again, { ...result, created: false, retired: [] });
    // The running instance picks the new key up on its next reload, well before it signs.
    assert.deepEqual(kids(manager.jwks()), [first]);
    await manager.runScheduledWork();
    assert.deepEqual(kids(manager.jwks()), [first, result.kid].sort());
    assertPublicOnly(manager.jwks());
  });

  // The timeout only keeps a lost notification from hanging the run; nothing here is timed.
  test("a running manager publishes a key rotated over another connection at once: the notification, not its timer", {
    timeout: 30_000,
  }, async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    // jwksMaxAge 300 s: the schedule re-reads every 60 s, so only the notification can be in time.
    const config = keyConfig();
    const clock = fakeClock();
    const manager = await KeyManager.open(db, config, clock);
    const first = manager.signingKey().kid;
    const errors: unknown[] = [];
    let heard: () => void = () => {};
    const changed = new Promise<void>((resolve) => {
      heard = resolve;
    });
    await manager.startSchedule({ onKeyChange: () => heard(), onError: (error) => errors.push(error) });
    const other = await anotherConnection(db);
    try {
      const rotated = await rotateKeys(other, config, { now: clock.now });
      assert.ok(rotated?.created);
      await changed;
      assert.deepEqual(kids(manager.jwks()), [first, rotated.kid].sort());
      assert.equal(manager.signingKey().kid, first, "published now, signing only from activatesAt");
      assert.deepEqual(errors, []);
    } finally {
      await manager.stop();
      if (other !== db) await other.close();
    }
  });

  test("the schedule runs a round every reload interval on its timers, one at a time, until stop()", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const config = keyConfig({ keyRotationInterval: 7 * DAY });
    // The clock (key ages) and the timers (when rounds run) are moved separately.
    const clock = fakeClock();
    const time = new FakeTime(0);
    const manager = await KeyManager.open(db, config, { now: clock.now, timers: time.timers });
    const errors: unknown[] = [];
    await manager.startSchedule({ onError: (error) => errors.push(error) });
    const interval = reloadIntervalMs(config);
    assert.deepEqual(time.pendingDelays(), [interval], "one round armed, a reload interval away");
    // The key falls due for rotation; the schedule notices at its next round, not before.
    clock.advance(7 * DAY * 1000 + 1);
    await time.advance(interval - 1);
    assert.equal((await listSigningKeys(db)).length, 1);
    await time.advance(1);
    // The next round is armed only once this one (the rotation) is over.
    await time.until(() => time.pendingDelays().length === 1, "the round over and the next armed");
    assert.deepEqual(time.pendingDelays(), [interval]);
    assert.equal((await listSigningKeys(db)).length, 2, "rotated by the scheduled round");
    await time.advance(interval);
    await time.until(() => time.pendingDelays().length === 1, "another round over");
    assert.equal((await listSigningKeys(db)).length, 2, "a pending rotation is not stacked");
    await manager.stop();
    assert.deepEqual(time.pendingDelays(), [], "stop() leaves no timer");
    assert.deepEqual(errors, []);
  });

  test("the schedule rotates a key older than keyRotationInterval, once across instances", async () => {
    const db = getDb();
    await db.query("DELETE FROM signing_keys");
    const config = keyConfig({ keyRotationInterval: 7 * DAY });
    const clock = fakeClock();
    const a = await KeyManager.open(db, config, clock);
    const b = await KeyManager.open(db, config, clock);
    await Promise.all([a.runScheduledWork(), b.runScheduledWork()]);
    assert.equal((await listSigningKeys(db)).length, 1, "not due yet");
    clock.advance(7 * DAY * 1000 + 1);
    await Promise.all([a.runScheduledWork(), b.runScheduledWork()]);
    assert.equal((await listSigningKeys(db)).length, 2, "rotated exactly once");
    await a.reload();
    await b.reload();
    assert.deepEqual(a.jwks(), b.jwks());
    // The ring object verifiers hold stays the same across reloads; only its version moves.
    const ring = a.keyRing;
    await a.reload();
    assert.equal(a.keyRing, ring);
    // Should every key lapse (rows deleted by hand), the schedule creates one that signs at once.
    await db.query("DELETE FROM signing_keys");
    await a.runScheduledWork();
    const rows = await listSigningKeys(db);
    assert.equal(rows.length, 1);
    assert.equal(a.signingKey().kid, rows[0]?.kid);
    a.startSchedule();
    b.startSchedule();
    await a.stop();
    await b.stop();
  });
});
