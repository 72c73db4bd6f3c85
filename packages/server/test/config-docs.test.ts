import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SETTINGS } from "../src/config/index.js";
import { withSettingsTable } from "../src/config/settings-table.js";

const path = new URL("../../../docs/configuration.md", import.meta.url);

test("docs/configuration.md's settings table is generated from the declarations and current", () => {
  const docs = readFileSync(path, "utf8");
  assert.equal(docs, withSettingsTable(docs), "run `npm run docs:config` and commit docs/configuration.md");
});

test("every setting named in docs/configuration.md is declared", () => {
  const docs = readFileSync(path, "utf8");
  const known = new Set(SETTINGS.map((setting) => setting.name));
  for (const match of docs.matchAll(/`((?:SIGIL|DATABASE|NODE)_[A-Z0-9_]+)`/g)) {
    assert.ok(known.has(match[1] as string), `docs/configuration.md names ${match[1]}, which is not a setting`);
  }
});

test("every setting has a default and a meaning to document", () => {
  for (const setting of SETTINGS) {
    assert.ok(setting.defaultText.length > 0 && setting.meaning.length > 0, setting.name);
  }
});
