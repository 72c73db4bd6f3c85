// Regenerates the settings table of docs/configuration.md from the settings' declarations
// (packages/server/src/config/settings.ts). `npm run docs:config`; a test fails when it is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { withSettingsTable } from "@sigil/server";

const path = new URL("../docs/configuration.md", import.meta.url);
writeFileSync(path, withSettingsTable(readFileSync(path, "utf8")));
console.log("docs/configuration.md: settings table regenerated");
