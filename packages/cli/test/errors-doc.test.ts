// docs/errors.md is generated from the error catalogues (STYLE.md, "Errors"); this keeps the
// committed copy equal to the generator's output and the generator honest about the catalogues.
// It lives with the CLI's tests only because the runner collects tests under packages/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CLIENT_ERRORS } from "@sigil/client";
import { CLIENT_ERROR_FIXES } from "@sigil/client/error-fixes";
import { JWT_ERRORS } from "@sigil/jwt";
import {
  AUTH_ERRORS,
  CONFIG_ERRORS,
  findSetting,
  KEY_ENCRYPTION_ERRORS,
  MAIL_ERRORS,
  OAUTH_ERRORS,
  PASSWORD_ERRORS,
} from "@sigil/server";
import { VERIFIER_ERRORS } from "@sigil/verifier";
import { ERRORS_DOC_PATH, renderErrorsDoc } from "../../../scripts/errors-doc.js";
import { collectErrorFamilies } from "../../../scripts/errors-doc-families.js";
import { EXIT_STATUSES } from "../src/lib/errors.js";

test("docs/errors.md is exactly what scripts/errors-doc.ts generates", async () => {
  const committed = readFileSync(ERRORS_DOC_PATH, "utf8");
  const generated = await renderErrorsDoc();
  if (committed !== generated) {
    assert.fail("docs/errors.md is stale: run `npm run docs:errors`");
  }
});

test("every catalogue code has exactly one row, with the catalogue's own text", async () => {
  const families = await collectErrorFamilies();
  const codesByFamily = families.map((family) => family.rows.map((row) => row.code));
  for (const codes of codesByFamily) assert.equal(new Set(codes).size, codes.length, `duplicate code in ${codes}`);
  const findRow = (source: string, code: string) =>
    families.find((family) => family.source === source)?.rows.find((row) => row.code === code);
  for (const [code, entry] of Object.entries(JWT_ERRORS)) {
    const row = findRow("packages/jwt/src/errors/codes.ts", code);
    assert.deepEqual([row?.meaning, row?.fix], [entry.summary, entry.fix], code);
  }
  for (const [code, entry] of Object.entries(VERIFIER_ERRORS)) {
    const row = findRow("packages/verifier/src/errors/codes.ts", code);
    assert.deepEqual([row?.meaning, row?.fix], [entry.summary, entry.fix], code);
  }
  for (const [code, entry] of Object.entries(AUTH_ERRORS)) {
    const row = findRow("packages/server/src/auth/auth-error.ts", code);
    assert.deepEqual([row?.meaning, row?.status], [entry.description, `${entry.status} \`${entry.error}\``], code);
  }
  const summaryCatalogues: Array<[string, Record<string, { summary: string; fix: string }>]> = [
    ["packages/server/src/clients/oauth-error.ts", OAUTH_ERRORS],
    ["packages/server/src/keys/key-encryption.ts", KEY_ENCRYPTION_ERRORS],
    [
      "packages/server/src/config/config-error.ts, packages/server/src/passwords/password-errors.ts",
      { ...CONFIG_ERRORS, ...PASSWORD_ERRORS },
    ],
    ["packages/server/src/mail/mail-error.ts", MAIL_ERRORS],
  ];
  for (const [source, catalogue] of summaryCatalogues) {
    for (const [code, entry] of Object.entries(catalogue)) {
      const row = findRow(source, code);
      assert.deepEqual([row?.meaning, row?.fix], [entry.summary, entry.fix], code);
    }
  }
  for (const [code, entry] of Object.entries(CLIENT_ERRORS)) {
    const row = findRow("packages/client/src/errors/codes.ts, packages/client/src/errors/fixes.ts", code);
    const fix = CLIENT_ERROR_FIXES[code as keyof typeof CLIENT_ERRORS];
    assert.deepEqual([row?.status, row?.meaning, row?.fix], [`\`${entry.action}\``, entry.summary, fix], code);
  }
  for (const [code, entry] of Object.entries(EXIT_STATUSES)) {
    const row = findRow("packages/cli/src/lib/errors.ts", code);
    assert.deepEqual([row?.status, row?.meaning, row?.fix], [String(entry.status), entry.summary, entry.fix], code);
  }
});

test("no code has two rows in docs/errors.md, across all families and whatever its case", async () => {
  // A reader searching the page for a code must land on one row — unless the code is one event
  // seen at two layers (the hasher's HASH_QUEUE_FULL reaches clients as the auth server's
  // hash_queue_full; the auth server's rate_limited reaches an app as @sigil/client's
  // RATE_LIMITED): then the rows are in different families and one names the other's code.
  const codes = [...(await renderErrorsDoc()).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? "");
  assert.ok(codes.includes("TOKEN_REVOKED"));
  const families = await collectErrorFamilies();
  const rows = families.flatMap((family) => family.rows.map((row) => ({ ...row, family: family.title })));
  const seen = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = row.code.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const names = (a: typeof row, b: typeof row): boolean => `${a.meaning} ${a.fix}`.includes(b.code);
      assert.ok(
        earlier.family !== row.family && (names(row, earlier) || names(earlier, row)),
        `${row.code} has two rows (${earlier.family}, ${row.family}) and neither names the other`,
      );
    }
    seen.set(key, row);
  }
  assert.equal(codes.length, rows.length);
});

test("every row of every family has the catalogue's meaning and fix: no gap is left in the doc", async () => {
  const families = await collectErrorFamilies();
  for (const family of families) {
    for (const row of family.rows) {
      assert.ok(row.meaning !== undefined && row.meaning.trim() !== "", `${family.source} ${row.code}: no meaning`);
      assert.ok(row.fix !== undefined && row.fix.trim() !== "", `${family.source} ${row.code}: no fix`);
    }
  }
});

test("the verifier's middleware answers what RFC 6750 §3.1 prescribes for the request-level codes", async () => {
  const families = await collectErrorFamilies();
  const rows = families.find((family) => family.source === "packages/verifier/src/errors/codes.ts")?.rows ?? [];
  const statusOf = (code: string): string | undefined => rows.find((row) => row.code === code)?.status;
  assert.equal(statusOf("REQUEST_INVALID"), "400 `invalid_request`");
  assert.equal(statusOf("INSUFFICIENT_SCOPE"), "403 `insufficient_scope`");
  assert.equal(statusOf("TOKEN_REVOKED"), "401 `invalid_token`");
  assert.match(statusOf("TOKEN_MISSING") ?? "", /^401 /);
});

test("a table cell never breaks the table: no raw newline, every | escaped", async () => {
  const text = await renderErrorsDoc();
  for (const line of text.split("\n").filter((l) => l.startsWith("| `"))) {
    const header = text
      .slice(0, text.indexOf(line))
      .split("\n")
      .findLast((l) => l.startsWith("| Code"));
    const columns = (s: string): number => s.replace(/\\\|/g, "").split("|").length;
    assert.equal(columns(line), columns(header ?? ""), line);
  }
});

test("every setting a fix names is a real setting (a misspelt name sends the operator nowhere)", async () => {
  // SIGIL_DEBUG belongs to the CLI (stack traces), not to the server's settings catalogue.
  const cliOnly = new Set(["SIGIL_DEBUG"]);
  const named = new Set((await renderErrorsDoc()).match(/\bSIGIL_[A-Z0-9_]+\b/g) ?? []);
  assert.ok(named.size > 0);
  for (const name of named) assert.ok(cliOnly.has(name) || findSetting(name) !== undefined, `${name} is not a setting`);
});
