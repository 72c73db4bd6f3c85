import { CliError, usageError } from "./errors.js";

/**
 * An HMAC secret from the environment variable named by `--secret-env`. Secrets are never taken
 * from argv: arguments end up in shell history and are visible to every user through `ps`.
 * An unset or empty variable is an error — it must never silently become an empty secret.
 */
export function secretFromEnv(name: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw usageError(`--secret-env takes the NAME of an environment variable, got '${name.slice(0, 40)}'`);
  }
  const value = env[name];
  if (value === undefined || value === "") {
    throw new CliError(`environment variable ${name} is ${value === undefined ? "not set" : "empty"}`, {
      hint: `export ${name}=... first (the secret is read from the environment so it stays out of shell history and ps)`,
    });
  }
  return value;
}
