// One-time codes in the database: only HMACs are stored, a code is spent once even when two
// submissions race, a typed code is checked against the latest one only, and housekeeping removes
// expired codes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { runHousekeeping } from "../../src/auth/housekeeping.js";
import { issueCode, MAX_CODE_ATTEMPTS, normalizeCode, spendCode } from "../../src/auth/one-time-codes.js";
import { describeEachDatabase, startTestServer, type TestServer } from "../../src/testing/index.js";

const key = randomBytes(32);

describeEachDatabase("one-time codes", (getDb) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ database: getDb() });
  });
  after(() => server.close());

  const issue = async (userId: string, now = new Date()) =>
    getDb().transaction((tx) =>
      issueCode(tx, key, { purpose: "reset_password", userId, email: "x@example.com", now, ttlSeconds: 900 }),
    );
  const spend = (proof: { code: string } | { linkToken: string }, userId?: string, now = new Date()) =>
    getDb().transaction((tx) =>
      spendCode(tx, key, { purpose: "reset_password", proof, ...(userId ? { userId } : {}), now }),
    );

  test("the code's shape; neither the code nor the link's secret is stored", async () => {
    const user = await server.createUser();
    const issued = await issue(user.id);
    assert.match(issued.code, /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(normalizeCode(" k7pq mxa3 "), "K7PQMXA3");
    const [, secret] = issued.linkToken.split(".");
    const row = await getDb().query<{ code_hash: Uint8Array; link_hash: Uint8Array }>(
      "SELECT code_hash, link_hash FROM one_time_codes WHERE user_id = $1",
      [user.id],
    );
    const stored = Buffer.concat([Buffer.from(row.rows[0]!.code_hash), Buffer.from(row.rows[0]!.link_hash)]);
    assert.equal(stored.includes(Buffer.from(issued.code.replace("-", ""))), false);
    assert.equal(stored.includes(Buffer.from(secret ?? "")), false);
  });

  test("two submissions of one code at once: exactly one succeeds", async () => {
    const user = await server.createUser();
    const issued = await issue(user.id);
    const results = await Promise.all([
      spend({ code: issued.code }, user.id),
      spend({ code: issued.code }, user.id),
      spend({ linkToken: issued.linkToken }),
    ]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.reason)),
      ["spent", "spent"],
    );
  });

  test(`wrong codes count; the ${MAX_CODE_ATTEMPTS}th spends the code; a new code retires the old`, async () => {
    const user = await server.createUser();
    const first = await issue(user.id);
    const second = await issue(user.id);
    assert.deepEqual(
      await spend({ code: first.code }, user.id),
      { ok: false, reason: "wrong" },
      "only the latest counts",
    );
    assert.deepEqual(await spend({ linkToken: first.linkToken }), { ok: false, reason: "spent" });
    for (let i = 1; i < MAX_CODE_ATTEMPTS; i++) await spend({ code: "2222-2222" }, user.id);
    const after = await spend({ code: second.code }, user.id);
    assert.deepEqual(after, { ok: false, reason: "spent" });
  });

  test("an expired code fails; housekeeping removes it later", async () => {
    const user = await server.createUser();
    const issued = await issue(user.id);
    const late = new Date(Date.now() + 901_000);
    assert.deepEqual(await spend({ code: issued.code }, user.id, late), { ok: false, reason: "expired" });
    const forged = `${issued.linkToken.split(".")[0]}.${"A".repeat(43)}`;
    assert.deepEqual(await spend({ linkToken: forged }), { ok: false, reason: "wrong" });
    assert.deepEqual(await spend({ linkToken: "not-a-token" }), { ok: false, reason: "unknown" });
    const result = await runHousekeeping(getDb(), { now: Date.now() + 902_000 });
    assert.ok(result.codes >= 1);
    const left = await getDb().query("SELECT 1 FROM one_time_codes WHERE user_id = $1", [user.id]);
    assert.equal(left.rows.length, 0);
  });
});
