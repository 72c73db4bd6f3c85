/**
 * A setting that stops the server from starting: missing, malformed, out of bounds or weak.
 * `message` is one line, "<SETTING>: <what is wrong>; <how to fix it>", printed as is at start.
 * It never contains a secret value (only its length or shape).
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "CONFIG_INVALID";
  /** The environment variable (or config-file key) at fault. */
  readonly setting: string;

  constructor(setting: string, problem: string) {
    // One line, always: a message is printed verbatim as the reason the start failed.
    super(`${setting}: ${problem}`.replace(/\s*[\r\n]+\s*/g, " "));
    this.setting = setting;
  }
}

/** Type guard for {@link ConfigError}. */
export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}
