import { open, rm } from "node:fs/promises";
import { CliError } from "./errors.js";

/**
 * Writes a private key to a new file readable by its owner only (mode 0600 from creation, so the
 * key is never briefly world-readable). An existing file is refused unless `force`; then it is
 * removed first rather than written through, so a symlink planted at the path is not followed.
 */
export async function writePrivateFile(path: string, content: string, options: { force: boolean }): Promise<void> {
  if (options.force) {
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw new CliError(`cannot replace '${path}': ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      throw new CliError(`'${path}' already exists; refusing to overwrite a key (use --force to replace it)`);
    }
    throw new CliError(`cannot create '${path}': ${code === "ENOENT" ? "no such directory" : (code ?? "error")}`);
  }
  try {
    // The umask may have cleared bits but never adds any; chmod makes 0600 exact regardless.
    await handle.chmod(0o600);
    await handle.writeFile(content, "utf8");
  } finally {
    await handle.close();
  }
}
