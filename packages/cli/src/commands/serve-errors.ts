import type { ServerConfig } from "@sigil/server";
import { CliError, EXIT_REJECTED, EXIT_USAGE } from "../lib/errors.js";
import { databaseError } from "./serve-database.js";

/**
 * Turns the failures an operator causes and can fix — the port, the database, the key-encryption
 * key — into one-line errors naming the setting; anything else is returned unchanged (and
 * printed by main() as one line, with a stack only under SIGIL_DEBUG=1).
 */
export function explainServerError(error: unknown, config: ServerConfig): unknown {
  const listenError = explainListenError(error, config);
  if (listenError !== undefined) return listenError;
  const keyError = explainKeyError(error);
  if (keyError !== undefined) return keyError;
  return explainDataDirError(error) ?? databaseError(error, config) ?? error;
}

/** The embedded database's directory is held by another process, or unusable: its message and fix, as is. */
export function explainDataDirError(error: unknown): CliError | undefined {
  const { name, message, fix } = (error ?? {}) as { name?: unknown; message?: unknown; fix?: unknown };
  if (name !== "DataDirError" || typeof message !== "string") return undefined;
  return new CliError(message, { exitCode: EXIT_REJECTED, ...(typeof fix === "string" ? { hint: fix } : {}) });
}

/**
 * The key store refuses to open a private key with the wrong SIGIL_KEY_ENCRYPTION_KEY (or none):
 * a configuration mistake, so exit 2 like any other bad setting. Matched by name because the
 * server's index does not export the class; its messages name the setting and never hold key bytes.
 */
export function explainKeyError(error: unknown): CliError | undefined {
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (name === "KeyEncryptionError" && typeof code === "string" && typeof message === "string") {
    return new CliError(`SIGIL_KEY_ENCRYPTION_KEY: ${code}: ${message}`, { exitCode: EXIT_USAGE });
  }
  if (name === "KeyManagementError" && typeof message === "string") {
    return new CliError(message, { exitCode: EXIT_REJECTED });
  }
  return undefined;
}

function explainListenError(error: unknown, config: ServerConfig): CliError | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (syscall !== "listen" && code !== "EADDRINUSE") return undefined;
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case "EADDRINUSE":
      return new CliError(`SIGIL_PORT: port ${config.port} is already in use on ${config.host}`, {
        exitCode: EXIT_REJECTED,
        hint: "stop whatever listens there (another sigil serve?) or set SIGIL_PORT to a free port",
      });
    case "EACCES":
      return new CliError(`SIGIL_PORT: permission denied listening on ${where}`, {
        exitCode: EXIT_REJECTED,
        hint: "ports below 1024 need privileges: use a higher SIGIL_PORT behind a proxy",
      });
    case "EADDRNOTAVAIL":
      return new CliError(`SIGIL_HOST: ${config.host} is not an address of this machine`, {
        exitCode: EXIT_REJECTED,
        hint: "use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
      });
    default:
      return undefined;
  }
}
