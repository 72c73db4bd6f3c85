import type { ServerConfig } from "@sigil/server";
import { CliError, EXIT_USAGE } from "../lib/errors.js";

/**
 * The auth server's code, loaded on first use. It brings Fastify, PGlite and the password
 * hashers (about half a second to load); `sigil decode` and `sigil verify` run in shell loops
 * and must not pay for a server they never start.
 */
export function loadServerModule(): Promise<typeof import("@sigil/server")> {
  return import("@sigil/server");
}

/**
 * The auth server's configuration for `serve` and the admin commands (`keys rotate`, `users
 * import`, `clients create`), which must read the same settings as the server they administer:
 * the same database, the same key-encryption key. A bad setting is a usage error printed as the
 * one line `SIGIL_X: what is wrong; how to fix it` — never a stack.
 */
export async function loadServerConfig(env: Readonly<Record<string, string | undefined>>): Promise<ServerConfig> {
  const { isConfigError, loadConfig } = await loadServerModule();
  try {
    return loadConfig(env as NodeJS.ProcessEnv);
  } catch (error) {
    if (isConfigError(error)) throw new CliError(error.message, { exitCode: EXIT_USAGE });
    throw error;
  }
}
