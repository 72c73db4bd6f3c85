import type { Style } from "./style.js";
import type { TokenWarning } from "./token-warnings.js";

/** Pretty JSON, two-space indented, for header and claims. */
export function prettyJSON(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A titled block: the title in bold, then the body lines. */
export function section(style: Style, title: string, body: readonly string[]): string[] {
  return [style.bold(title), ...body, ""];
}

/** Warning lines, each with a visible marker even without colour. */
export function warningLines(style: Style, warnings: readonly TokenWarning[]): string[] {
  return warnings.map((w) => `  ${style.yellow("!")} ${w.message}`);
}
