// The revocation rule exists twice: in memory (@sigil/protocol's RevocationIndex, which every
// verifier and /auth/verify apply) and in SQL (isAccessTokenRevoked, which /userinfo, logout and
// introspection apply). This holds the SQL form to the protocol's verdict for every token case of
// @sigil/protocol/testing, on PGlite and on PostgreSQL — and the rows read back through the
// feed's own query to the same verdicts, so what a verifier receives decides as the server does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type RevocationEntry, RevocationIndex } from "@sigil/protocol";
import { FIXTURE_NOW, VERDICT_SCENARIOS, type VerdictToken } from "@sigil/protocol/testing";
import { selectAfter } from "../../src/revocation-feed/feed-queries.js";
import type { Database } from "../../src/store/database.js";
import { insertRevocation, isAccessTokenRevoked, type NewRevocation } from "../../src/store/revocations.js";
import { describeEachDatabase } from "../../src/testing/index.js";

function rowOf(entry: RevocationEntry): NewRevocation {
  const common = { reason: "contract", now: new Date(FIXTURE_NOW * 1000), expiresAt: new Date(entry.exp * 1000) };
  return entry.kind === "session"
    ? { kind: "session", sessionId: entry.sid, userId: "u-any", ...common }
    : { kind: "user_before", userId: entry.sub, beforeTime: new Date(entry.before * 1000), ...common };
}

/** The SQL verdict, for a token as the server's checks would pass it. */
function sqlRevoked(db: Database, token: VerdictToken, nowSeconds: number): Promise<boolean> {
  return isAccessTokenRevoked(db, {
    sessionId: typeof token.sid === "string" ? token.sid : undefined,
    userId: token.sub,
    issuedAt: typeof token.iat === "number" ? new Date(token.iat * 1000) : null,
    now: new Date(nowSeconds * 1000),
  });
}

/** The rows as the feed reads them (the hub's query and rounding), in a swept index. */
async function indexFromFeedQuery(db: Database, nowSeconds: number): Promise<RevocationIndex> {
  const index = new RevocationIndex();
  index.replace(await selectAfter(db, 0));
  index.sweep(nowSeconds);
  return index;
}

async function store(db: Database, rows: readonly NewRevocation[]): Promise<void> {
  await db.query("DELETE FROM revocations");
  await db.transaction(async (tx) => {
    for (const row of rows) await insertRevocation(tx, row);
  });
}

describeEachDatabase("revocation rule: SQL and RevocationIndex agree", (getDb) => {
  for (const scenario of VERDICT_SCENARIOS) {
    test(scenario.name, async () => {
      const db = getDb();
      await store(db, scenario.entries.map(rowOf));
      const index = new RevocationIndex();
      for (const entry of scenario.entries) index.add(entry);
      index.sweep(scenario.now);
      const fromFeed = await indexFromFeedQuery(db, scenario.now);
      for (const { name, token, expected } of scenario.cases) {
        const revoked = await sqlRevoked(db, token, scenario.now);
        assert.equal(revoked, expected !== null, `${name}: SQL`);
        assert.equal(revoked, index.isRevoked(token) !== null, `${name}: SQL against the index`);
        assert.equal(fromFeed.isRevoked(token), expected, `${name}: rows read by the feed's query`);
      }
    });
  }

  test("rows with sub-second times: the feed rounds them so the index keeps the SQL verdict", async () => {
    const db = getDb();
    const now = FIXTURE_NOW;
    // before_time 0.3 s into a second: iat in that second is earlier, so void; the next second is not.
    await store(db, [
      {
        kind: "user_before",
        userId: "u-frac",
        beforeTime: new Date((now - 300) * 1000 + 300),
        reason: "contract",
        now: new Date(now * 1000),
        expiresAt: new Date((now + 630) * 1000 + 500),
      },
      {
        kind: "session",
        sessionId: "s-frac",
        userId: "u-any",
        reason: "contract",
        now: new Date(now * 1000),
        expiresAt: new Date(now * 1000 + 400),
      },
    ]);
    const entries = await selectAfter(db, 0);
    assert.deepEqual(
      entries.map((entry) => (entry.kind === "user_before" ? [entry.before, entry.exp] : [entry.exp])),
      [[now - 299, now + 631], [now + 1]],
      "before and exp rounded up",
    );
    const index = await indexFromFeedQuery(db, now);
    const tokens: VerdictToken[] = [
      { sub: "u-frac", iat: now - 301 },
      { sub: "u-frac", iat: now - 300 },
      { sub: "u-frac", iat: now - 299 },
      { sub: "u-any", sid: "s-frac", iat: now - 10 },
    ];
    for (const token of tokens) {
      assert.equal(index.isRevoked(token) !== null, await sqlRevoked(db, token, now), JSON.stringify(token));
    }
    assert.deepEqual(
      tokens.map((token) => index.isRevoked(token)),
      ["user", "user", null, "session"],
    );
  });
});
