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

/**
 * What CONFIG_INVALID means and how to solve it, for docs/errors.md. The message itself names the
 * setting and the fix; this entry says where settings come from and what the start requires.
 */
export const CONFIG_ERRORS = {
  CONFIG_INVALID: {
    summary:
      "A setting is missing, malformed, out of bounds or weak, or the SIGIL_CONFIG_FILE cannot be read, so the server does not start. `err.setting` names the setting; the one-line message says what is wrong and never holds a secret value.",
    fix: "Correct the named setting in the environment or in the SIGIL_CONFIG_FILE JSON (the environment wins over the file), as the message and docs/configuration.md say: bounds, durations like 15m, `sigil secret` for SIGIL_KEY_ENCRYPTION_KEY and SIGIL_HMAC_SECRET. In production (SIGIL_ENV or NODE_ENV=production) SIGIL_ISSUER must be an https URL and SIGIL_KEY_ENCRYPTION_KEY is required. `sigil serve` and the admin commands exit with status 2.",
  },
} as const satisfies Record<ConfigError["code"], { summary: string; fix: string }>;
