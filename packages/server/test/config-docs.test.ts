import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { SETTINGS } from "../src/config/index.js";

const docs = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
const documented = new Set([...docs.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]));

test("every setting of the loader has a row in docs/configuration.md", () => {
  const missing = SETTINGS.map((setting) => setting.name).filter((name) => !documented.has(name));
  assert.deepEqual(missing, [], `add a table row for ${missing.join(", ")}`);
});

test("each row states the catalogue's default, bounds and meaning", () => {
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  for (const setting of SETTINGS) {
    const row = `| \`${setting.name}\` | ${cell(setting.default)} | ${cell(setting.bounds)} | ${cell(setting.meaning)} |`;
    assert.ok(docs.includes(row), `docs/configuration.md: the row of ${setting.name} should read\n${row}`);
  }
});

test("docs/configuration.md documents no setting the loader does not read", () => {
  const known = new Set(SETTINGS.map((setting) => setting.name));
  const stale = [...documented].filter((name) => !known.has(name as string));
  assert.deepEqual(stale, []);
});

test("every variable the loader source reads is in the catalogue", () => {
  // settingDoc() throws at run time for an uncatalogued name; this catches it statically too.
  const dir = new URL("../src/config/", import.meta.url);
  const known = new Set(SETTINGS.map((setting) => setting.name));
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts") && name !== "settings.ts")) {
    const source = readFileSync(new URL(file, dir), "utf8");
    for (const match of source.matchAll(/"((?:SIGIL|DATABASE|NODE|UV)_[A-Z0-9_]+)"/g)) {
      assert.ok(known.has(match[1] as string), `${file} reads ${match[1]}, which is not in SETTINGS`);
    }
  }
});
