import { readFileSync } from "node:fs";

/** The CLI's version, from its package.json (one level above both src/ and dist/). */
export function cliVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    return "unknown";
  }
}
