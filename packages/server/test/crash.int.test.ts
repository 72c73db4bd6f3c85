import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Database } from "../src/store/database.js";
import { openPGlite } from "../src/store/pglite.js";
import { openPostgres } from "../src/store/postgres.js";
import {
  createTestDatabase,
  findPostgresBinaries,
  seedPGliteDataDir,
  stopPostgresAfterTests,
} from "../src/testing/index.js";
import { type ChildServer, startChildServer } from "./support/child-server.js";
import { call, GOOD_PASSWORD, uniqueEmail } from "./support/test-server.js";

stopPostgresAfterTests();

const SESSIONS = 4;
/** Refreshes completed before the kill: enough that the crash lands in the middle of work. */
const REFRESHES_BEFORE_KILL = SESSIONS * 5;

/**
 * Kills the server with SIGKILL in the middle of a burst of refreshes on several sessions, then
 * checks the stored state and restarts it on the same database.
 */
async function crashDuringRefreshBurst(
  env: Record<string, string>,
  openDb: () => Promise<Database>,
  options: { dbWhileRunning: boolean },
): Promise<void> {
  // The grace window covers the restart, so a token whose rotation committed but whose answer
  // was lost in the crash can be presented again (the retry path a real client takes).
  const serverEnv = { ...env, SIGIL_REFRESH_GRACE_WINDOW: "60s" };
  let server: ChildServer | undefined = await startChildServer(serverEnv);
  try {
    const email = uniqueEmail("crash");
    assert.equal(
      (await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } })).status,
      202,
    );
    const latest: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
      latest.push(login.body.refresh_token);
    }
    const target = server;
    let refreshes = 0;
    let burstUnderWay!: () => void;
    const underWay = new Promise<void>((resolve) => {
      burstUnderWay = resolve;
    });
    const loops = latest.map(async (_token, index) => {
      for (let i = 0; i < 10_000; i++) {
        try {
          const response = await call(target, "POST", "/auth/refresh", { json: { refresh_token: latest[index] } });
          if (response.status !== 200) throw new Error(`refresh refused: ${JSON.stringify(response.body)}`);
          latest[index] = response.body.refresh_token;
          if (++refreshes === REFRESHES_BEFORE_KILL) burstUnderWay();
        } catch (error) {
          if (target.child.exitCode !== null || target.child.signalCode !== null) return;
          if (error instanceof TypeError) return; // fetch failed: the server is gone
          throw error;
        }
      }
    });
    // Killed as soon as the burst is under way, whatever the machine's speed: later requests are
    // in flight on every session at that moment.
    await Promise.race([underWay, Promise.all(loops)]);
    target.child.kill("SIGKILL");
    await target.exited;
    await Promise.all(loops);
    server = undefined;
    assert.ok(refreshes >= REFRESHES_BEFORE_KILL, `the burst did work before the crash (${refreshes} refreshes)`);

    if (!options.dbWhileRunning) {
      const db = await openDb();
      try {
        await assertRotationInvariants(db, email);
      } finally {
        await db.close();
      }
    }
    server = await startChildServer(serverEnv);
    if (options.dbWhileRunning) {
      const db = await openDb();
      try {
        await assertRotationInvariants(db, email);
      } finally {
        await db.close();
      }
    }
    // No committed session is lost: the last token each client holds still refreshes (either it
    // is current, or its rotation committed and the same successor is handed back).
    for (const token of latest) {
      const response = await call(server, "POST", "/auth/refresh", { json: { refresh_token: token } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const next = await call(server, "POST", "/auth/refresh", {
        json: { refresh_token: response.body.refresh_token },
      });
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal((await call(server, "GET", "/userinfo", { token: next.body.access_token })).status, 200);
    }
  } finally {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }
}

/** Every rotation is whole (the successor exists) and every session has exactly one current token. */
async function assertRotationInvariants(db: Database, email: string): Promise<void> {
  const orphans = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM refresh_tokens p
     WHERE p.rotated_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens c WHERE c.id = p.successor_id)`,
  );
  assert.equal(orphans.rows[0]?.n, 0, "a rotated token without its successor");
  const sessions = await db.query<{ ended: boolean; current: number; total: number }>(
    `SELECT s.ended_at IS NOT NULL AS ended,
            count(*) FILTER (WHERE rt.rotated_at IS NULL)::int AS current,
            count(*)::int AS total
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN refresh_tokens rt ON rt.session_id = s.id
     WHERE u.email = $1 GROUP BY s.id, s.ended_at`,
    [email],
  );
  assert.equal(sessions.rows.length, SESSIONS, "every committed session survived");
  for (const session of sessions.rows) {
    assert.equal(session.ended, false);
    assert.equal(session.current, 1, "exactly one usable (unrotated) token per session");
  }
}

describe("crash: SIGKILL during a burst of refreshes, then restart", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test("PGlite data directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sigil-crash-"));
    dirs.push(dir);
    await seedPGliteDataDir(dir); // what the crash is about comes after the first start
    await crashDuringRefreshBurst({ SIGIL_DATA_DIR: dir }, () => openPGlite(dir), { dbWhileRunning: false });
  });

  test("PostgreSQL", async (t) => {
    if (!findPostgresBinaries() && process.env.CI !== "true") {
      t.skip("no PostgreSQL binaries");
      return;
    }
    const url = await createTestDatabase();
    await crashDuringRefreshBurst({ DATABASE_URL: url }, () => openPostgres(url), { dbWhileRunning: true });
  });
});
