import { readFile } from "node:fs/promises";
import { CliError } from "./errors.js";

/** Key files, JWKS documents and claims are small; a larger file is a mistake, not input. */
const FILE_LIMIT_BYTES = 1024 * 1024;

/** Reads a small UTF-8 file, turning any failure into a one-line error that names the file. */
export async function readTextFile(path: string, what: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${what} '${path}': ${readFailureReason(error)}`);
  }
  if (data.byteLength > FILE_LIMIT_BYTES) {
    throw new CliError(`${what} '${path}' is larger than ${FILE_LIMIT_BYTES} bytes`);
  }
  return data.toString("utf8");
}

/**
 * Why opening or reading a file failed, in a few words for a one-line error: the common errno
 * codes in words, any other code as it is. `directory` words EISDIR for the caller (a command
 * that also refuses FIFOs and devices says "not a file").
 */
export function readFailureReason(error: unknown, directory = "is a directory"): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT"
    ? "no such file"
    : code === "EACCES"
      ? "permission denied"
      : code === "EISDIR"
        ? directory
        : (code ?? "unreadable");
}

/** Parses JSON, reporting only where it came from and why (never echoing the content: it may be a key). */
export function parseJSON(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n", 1)[0] : "invalid";
    throw new CliError(`${source} is not valid JSON: ${reason}`);
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJSONObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
