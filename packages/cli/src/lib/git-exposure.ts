import { execFile } from "node:child_process";
import { basename, dirname, resolve } from "node:path";

/** A git that hangs (a network file system, a stale lock) must not hold up keygen for long. */
const GIT_TIMEOUT_MS = 2000;

/**
 * The root of the git work tree that holds `path` without ignoring it — where `git add .` would
 * commit the file — or undefined. Every uncertain answer is undefined: git not installed, not a
 * work tree, git failing or timing out. This is a courtesy check that never blocks anything.
 *
 * @example
 * const root = await unignoredGitWorkTree("private.jwk", process.env);
 * if (root !== undefined) console.warn(`private.jwk would be committed to ${root}`);
 */
export async function unignoredGitWorkTree(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const absolute = resolve(path);
  const cwd = dirname(absolute);
  const inside = await git(["rev-parse", "--is-inside-work-tree", "--show-toplevel"], { cwd, env });
  if (inside?.code !== 0) return undefined;
  const [isInside, root] = inside.stdout.split("\n");
  if (isInside !== "true" || root === undefined || root === "") return undefined;
  // check-ignore: 0 ignored, 1 not ignored, 128 an error (then say nothing).
  const ignored = await git(["check-ignore", "-q", "--", basename(absolute)], { cwd, env });
  return ignored?.code === 1 ? root : undefined;
}

/** Runs git; undefined when it cannot run at all (not installed, timed out). */
function git(
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<{ code: number; stdout: string } | undefined> {
  return new Promise((done) => {
    execFile(
      "git",
      [...args],
      { cwd: options.cwd, env: { ...options.env }, timeout: GIT_TIMEOUT_MS, encoding: "utf8", windowsHide: true },
      (error, stdout) => {
        if (error === null) return done({ code: 0, stdout });
        // A number is git's exit status; a string (ENOENT, …) or a kill means git did not answer.
        const code = (error as { code?: unknown }).code;
        done(typeof code === "number" && !error.killed ? { code, stdout } : undefined);
      },
    );
  });
}
