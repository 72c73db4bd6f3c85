import { readFileSync } from "node:fs";

let cached: ReadonlySet<string> | undefined;

/**
 * The bundled list of common passwords (packages/server/data/common-passwords.txt), lower-cased,
 * read once on first use (~100 KB; the same relative path holds from src/ and from dist/).
 */
export function commonPasswords(): ReadonlySet<string> {
  if (cached === undefined) {
    const text = readFileSync(new URL("../../data/common-passwords.txt", import.meta.url), "utf8");
    const entries = new Set<string>();
    for (const line of text.split("\n")) {
      const entry = line.trim();
      if (entry !== "" && !entry.startsWith("#")) entries.add(entry.toLowerCase());
    }
    cached = entries;
  }
  return cached;
}
