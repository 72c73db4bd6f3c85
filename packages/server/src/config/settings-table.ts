import type { Setting } from "./setting.js";
import { SETTINGS } from "./settings.js";

/** Where the generated table sits in docs/configuration.md. */
export const SETTINGS_TABLE_START =
  "<!-- settings table: generated from packages/server/src/config/settings.ts by `npm run docs:config` -->";
export const SETTINGS_TABLE_END = "<!-- end of settings table -->";

/**
 * The Markdown table of every setting — name, default, bounds, meaning — as docs/configuration.md
 * shows it between {@link SETTINGS_TABLE_START} and {@link SETTINGS_TABLE_END}.
 */
export function renderSettingsTable(settings: readonly Setting<unknown>[] = SETTINGS): string {
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  const rows = settings.map(
    (setting) =>
      `| \`${setting.name}\` | ${cell(setting.defaultText)} | ${cell(setting.boundsText)} | ${cell(setting.meaning)} |`,
  );
  return ["| Setting | Default | Bounds | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** `document` with its settings table replaced by a freshly rendered one; throws if the markers are missing. */
export function withSettingsTable(document: string): string {
  const start = document.indexOf(SETTINGS_TABLE_START);
  const end = document.indexOf(SETTINGS_TABLE_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error("docs/configuration.md: the settings table markers are missing");
  }
  return `${document.slice(0, start + SETTINGS_TABLE_START.length)}\n${renderSettingsTable()}\n${document.slice(end)}`;
}
