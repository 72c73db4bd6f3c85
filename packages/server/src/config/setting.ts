import {
  checkDurationBounds,
  formatSeconds,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseInteger,
} from "./parse-values.js";

/**
 * One setting, declared once: its name (the environment variable, and the key in the optional
 * JSON file), how its value is read, its default, and its documentation. `loadConfig` reads
 * every setting through {@link readSetting}, and docs/configuration.md's table is generated from
 * the same declarations (a test checks the document is current), so a default or a bound cannot
 * say one thing in the docs and do another in the code.
 */
export interface Setting<T> {
  readonly name: string;
  /** What it does, for the docs. */
  readonly meaning: string;
  /** The value used when unset (parsed like one given); undefined: unset means absent, or a default computed in loadConfig. */
  readonly default: string | undefined;
  /** The default in words, for the docs (the default itself when it is a plain value). */
  readonly defaultText: string;
  /** The accepted values in words, for the docs. */
  readonly boundsText: string;
  /** Never echoed in messages; a config file holding it must not be readable by others. */
  readonly secret: boolean;
  /** The value of a raw string (trimmed, non-empty); throws ConfigError naming the setting. */
  readonly parse: (raw: string) => T;
}

/** How a kind of setting reads and documents its values. */
export interface SettingKind<T> {
  readonly boundsText: string;
  readonly parse: (name: string, raw: string) => T;
}

export interface SettingSpec<T> {
  name: string;
  kind: SettingKind<T>;
  meaning: string;
  default?: string;
  /** Needed when `default` is absent or computed; else the default itself is shown. */
  defaultText?: string;
  secret?: boolean;
}

/** Declares a setting. */
export function defineSetting<T>(spec: SettingSpec<T>): Setting<T> {
  const defaultText = spec.defaultText ?? spec.default;
  if (defaultText === undefined) throw new TypeError(`setting ${spec.name}: document its default (defaultText)`);
  return Object.freeze({
    name: spec.name,
    meaning: spec.meaning,
    default: spec.default,
    defaultText,
    boundsText: spec.kind.boundsText,
    secret: spec.secret === true,
    parse: (raw: string) => spec.kind.parse(spec.name, raw),
  });
}

/** A duration in whole seconds within bounds ("900", "15m", "1h", "7d"). */
export function duration(bounds: { min: number; max: number; why?: string; boundsText?: string }): SettingKind<number> {
  return {
    boundsText: bounds.boundsText ?? `${formatSeconds(bounds.min)} … ${formatSeconds(bounds.max)}`,
    parse: (name, raw) => checkDurationBounds(name, parseDuration(name, raw), bounds),
  };
}

/** A whole number within bounds. */
export function integer(bounds: { min: number; max: number; unit?: string; note?: string }): SettingKind<number> {
  const unit = bounds.unit === undefined ? "" : ` ${bounds.unit}`;
  const note = bounds.note === undefined ? "" : ` (${bounds.note})`;
  return {
    boundsText: `${bounds.min} … ${bounds.max}${unit}${note}`,
    parse: (name, raw) => parseInteger(name, raw, bounds),
  };
}

/** true / false (also 1/0, yes/no, on/off). */
export const boolean: SettingKind<boolean> = { boundsText: "true | false", parse: parseBoolean };

/** One of a fixed list (case-insensitive). */
export function choice<const T extends string>(choices: readonly T[]): SettingKind<T> {
  return { boundsText: choices.join(" | "), parse: (name, raw) => parseChoice(name, raw, choices) };
}

/** Anything else: a parser of its own, with its bounds in words. */
export function custom<T>(boundsText: string, parse: (name: string, raw: string) => T): SettingKind<T> {
  return { boundsText, parse };
}

/**
 * A setting's value from `get` (the environment, then the config file): parsed when given, else
 * its declared default parsed the same way, else undefined.
 */
export function readSetting<T>(setting: Setting<T>, get: (name: string) => string | undefined): T | undefined {
  const raw = get(setting.name) ?? setting.default;
  return raw === undefined ? undefined : setting.parse(raw);
}
