/**
 * Longest line kept whole. The importer refuses lines over 16 KiB anyway; anything longer is cut
 * here (still too long, so still refused with its own line number) rather than buffered without
 * bound while waiting for a newline that may never come.
 */
const MAX_KEPT_CHARS = 64 * 1024;

/**
 * Splits a byte or string stream into lines (LF or CRLF; a last line without a newline counts),
 * decoding UTF-8 across chunk boundaries. A line longer than {@link MAX_KEPT_CHARS} is yielded
 * cut to one character over that bound, so line numbers stay true and memory stays bounded.
 *
 * @example
 * for await (const line of splitLines(createReadStream("users.jsonl"))) console.log(line);
 */
export async function* splitLines(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let overlong = false;
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      // An overlong line was already yielded (cut) when it outgrew the bound.
      if (!overlong) yield line.replace(/\r$/, "");
      overlong = false;
      newline = pending.indexOf("\n");
    }
    if (pending.length > MAX_KEPT_CHARS && !overlong) {
      // Yield the cut line now (the importer rejects it) and drop the rest of it as it arrives.
      yield pending.slice(0, MAX_KEPT_CHARS + 1);
      overlong = true;
    }
    if (overlong) pending = "";
  }
  pending += decoder.decode();
  if (pending !== "" && !overlong) yield pending.replace(/\r$/, "");
}
