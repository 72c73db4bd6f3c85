import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "./config-error.js";
import { findSetting } from "./settings.js";

/** The biggest config file read: settings are a few lines, anything larger is a mistake. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * Where settings come from: the environment first, then the optional JSON file. Values are
 * trimmed, and an unset or blank value is `undefined` — never an empty string, so a blank
 * `SIGIL_HMAC_SECRET=` can never become an empty secret.
 */
export class SettingSource {
  readonly #env: NodeJS.ProcessEnv;
  readonly #file: ReadonlyMap<string, string>;
  /** Warnings about the source itself (a world-readable file holding secrets). */
  readonly warnings: readonly string[];

  constructor(env: NodeJS.ProcessEnv, options: { file?: string } = {}) {
    this.#env = env;
    const path = options.file ?? blankToUndefined(env["SIGIL_CONFIG_FILE"]);
    const loaded = path === undefined ? { values: new Map<string, string>(), warnings: [] } : readConfigFile(path);
    this.#file = loaded.values;
    this.warnings = loaded.warnings;
  }

  /** The value of a declared setting, environment over file; undefined when unset or blank. */
  get(name: string): string | undefined {
    if (findSetting(name) === undefined)
      throw new Error(`setting ${name} is read but not declared in config/settings.ts`);
    return blankToUndefined(this.#env[name]) ?? this.#file.get(name);
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function readConfigFile(path: string): { values: Map<string, string>; warnings: string[] } {
  const setting = "SIGIL_CONFIG_FILE";
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      throw new ConfigError(setting, `${path} is ${size} bytes; a settings file is at most ${MAX_FILE_BYTES} bytes`);
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ConfigError(setting, `cannot read ${path} (${code}); fix the path or unset SIGIL_CONFIG_FILE`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : "invalid JSON";
    throw new ConfigError(setting, `${path} is not valid JSON (${why}); write one object of "SETTING": value pairs`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(setting, `${path} must hold one JSON object of "SETTING": value pairs`);
  }
  const values = new Map<string, string>();
  let holdsSecret = false;
  for (const [key, value] of Object.entries(parsed)) {
    // A misspelt key would otherwise be ignored silently and its default used.
    if (findSetting(key) === undefined || key === setting) {
      throw new ConfigError(key, `unknown setting in ${path}; see docs/configuration.md for the names`);
    }
    if (typeof value === "number" || typeof value === "boolean") {
      values.set(key, String(value));
    } else if (typeof value === "string") {
      const trimmed = value.trim();
      if (trimmed !== "") values.set(key, trimmed);
    } else if (value !== null) {
      throw new ConfigError(key, `in ${path} must be a string, number or boolean`);
    }
    if (findSetting(key)?.secret && values.has(key)) holdsSecret = true;
  }
  const warnings: string[] = [];
  if (holdsSecret && process.platform !== "win32" && (statSync(path).mode & 0o077) !== 0) {
    warnings.push(`${path} holds secrets but other users can read it: chmod 600 ${path}`);
  }
  return { values, warnings };
}
