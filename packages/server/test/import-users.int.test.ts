import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { test } from "node:test";
import { hashSync as bcryptHashSync } from "@node-rs/bcrypt";
import { createPasswordHasher } from "../src/passwords/index.js";
import { describeEachDatabase } from "../src/testing/index.js";
import { formatImportResult, type ImportResult, importUsers } from "../src/users/import-users.js";

const BCRYPT = bcryptHashSync("imported password", 4);
const ARGON2 = "$argon2id$v=19$m=19456,t=2,p=1$CCW/Xy0ZJ4Mv5L5/1+9DjA$k0GoxG04H/GcGvv4Z8QZcNhoFlpQ/re38ZxKXMDI/5E";

async function collect(results: AsyncIterable<ImportResult>): Promise<ImportResult[]> {
  const all: ImportResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

describeEachDatabase("importUsers", (getDb) => {
  test("imports valid lines, rejects the rest with a reason, never imports twice", async () => {
    const db = getDb();
    const input = [
      JSON.stringify({ email: "  Alice@Example.COM ", password_hash: BCRYPT, roles: ["admin", "user", "admin"] }),
      JSON.stringify({ email: "bob@example.com", password_hash: `$2y$${BCRYPT.slice(4)}` }),
      JSON.stringify({ email: "carol@example.com", password_hash: ARGON2, roles: [] }),
      "",
      JSON.stringify({ email: "alice@example.com", password_hash: BCRYPT }),
      "{not json",
      "[1,2]",
      JSON.stringify({ email: "no-at-sign", password_hash: BCRYPT }),
      JSON.stringify({ email: "dave@example.com", password_hash: "plaintext-password" }),
      JSON.stringify({ email: "dave@example.com", password_hash: `$2b$03$${BCRYPT.slice(7)}` }),
      JSON.stringify({ email: "dave@example.com", password_hash: "$2b$10$tooshort" }),
      JSON.stringify({
        email: "dave@example.com",
        password_hash: "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
      }),
      JSON.stringify({
        email: "dave@example.com",
        password_hash: "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
      }),
      JSON.stringify({ email: "dave@example.com", password_hash: BCRYPT, roles: "admin" }),
      JSON.stringify({ email: "dave@example.com", password_hash: BCRYPT, roles: ["bad role!"] }),
      JSON.stringify({ email: "dave@example.com", password_hash: BCRYPT, is_admin: true }),
      JSON.stringify({ email: "dave@example.com" }),
      JSON.stringify({ email: "'; DROP TABLE users; --@example.com", password_hash: BCRYPT }),
    ].join("\r\n");
    const results = await collect(importUsers(db, input));
    const report = results.map(formatImportResult);
    assert.deepEqual(report, [
      "line 1: imported alice@example.com",
      "line 2: imported bob@example.com",
      "line 3: imported carol@example.com",
      "line 5: skipped: already exists (alice@example.com)",
      "line 6: rejected: not valid JSON",
      'line 7: rejected: not a JSON object like {"email": …, "password_hash": …, "roles": […]}',
      "line 8: rejected: email is not an email address",
      "line 9: rejected: password_hash is neither bcrypt ($2a$, $2b$, $2y$) nor argon2id ($argon2id$)",
      "line 10: rejected: password_hash has bcrypt cost 3; bcrypt allows 4 to 31",
      "line 11: rejected: password_hash is not a well-formed bcrypt hash ($2b$NN$ and 53 characters)",
      "line 12: rejected: password_hash has argon2id parameters too costly to verify at login (m <= 1 GiB, t <= 20, p <= 16)",
      "line 13: rejected: password_hash is neither bcrypt ($2a$, $2b$, $2y$) nor argon2id ($argon2id$)",
      "line 14: rejected: roles must be an array of strings",
      "line 15: rejected: each role must be 1 to 64 characters of letters, digits and _ . : -",
      'line 16: rejected: unknown field "is_admin"',
      "line 17: rejected: password_hash is missing or not a string",
      "line 18: rejected: email is not an email address",
    ]);
    for (const line of report) assert.ok(!line.includes(BCRYPT.slice(7)), "no hash in the report");

    const { rows } = await db.query<{
      id: string;
      email: string;
      email_normalized: string;
      password_hash: string;
      roles: string[];
    }>("SELECT id, email, email_normalized, password_hash, roles FROM users ORDER BY email_normalized");
    assert.deepEqual(
      rows.map((row) => [row.email, row.email_normalized, row.roles]),
      [
        ["Alice@Example.COM", "alice@example.com", ["admin", "user"]],
        ["bob@example.com", "bob@example.com", []],
        ["carol@example.com", "carol@example.com", []],
      ],
    );
    assert.equal(rows[0]?.password_hash, BCRYPT, "the hash is kept as is");
    for (const row of rows) assert.match(row.id, /^[A-Za-z0-9_-]{22}$/);

    // The same file again: nothing is imported twice.
    const again = await collect(importUsers(db, input));
    assert.equal(again.filter((r) => r.status === "imported").length, 0);
    assert.equal(again.filter((r) => r.status === "skipped").length, 4);
    const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    assert.equal(count.rows[0]?.n, 3);
  });

  test("reads lines from a stream; imported bcrypt users verify and need a rehash", async () => {
    const db = getDb();
    const hash = bcryptHashSync("streamed password", 4);
    const text = `${JSON.stringify({ email: "erin@example.com", password_hash: hash, roles: ["user"] })}\n`;
    const lines = createInterface({ input: Readable.from([text]), crlfDelay: Number.POSITIVE_INFINITY });
    const results = await collect(importUsers(db, lines, { now: () => new Date("2026-01-01T00:00:00Z") }));
    assert.equal(results.length, 1);
    assert.equal(results[0]?.status, "imported");
    const { rows } = await db.query<{ password_hash: string; created_at: Date }>(
      "SELECT password_hash, created_at FROM users WHERE email_normalized = 'erin@example.com'",
    );
    assert.equal(rows[0]?.created_at.toISOString(), "2026-01-01T00:00:00.000Z");
    const hasher = createPasswordHasher({ concurrency: 1, queueLimit: 4 });
    assert.equal(await hasher.verify(rows[0]?.password_hash ?? "", "streamed password"), true);
    assert.equal(hasher.needsRehash(rows[0]?.password_hash ?? ""), true);
  });
});
