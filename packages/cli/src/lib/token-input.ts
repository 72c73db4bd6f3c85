import { usageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { readStdin } from "./io.js";

/**
 * The token to work on: the argument, or stdin when it is absent or "-". Whitespace and an
 * `Authorization`-style "Bearer " prefix (RFC 6750 §2.1) are removed, so a header value can be
 * pasted as is.
 */
export async function readToken(argument: string | undefined, io: CliIO): Promise<string> {
  const raw = argument === undefined || argument === "-" ? await readStdin(io, "token") : argument;
  const token = raw
    .trim()
    .replace(/^bearer\s+/i, "")
    .trim();
  if (token === "") {
    throw usageError("no token given: pass it as an argument or pipe it on stdin");
  }
  return token;
}
