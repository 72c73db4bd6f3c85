import { CliError } from "./errors.js";

/** Where output goes. `process.stdout` fits; tests pass a string collector. */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** Where input comes from. `process.stdin` fits; tests pass `Readable.from([...])`. */
export type InputStream = AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };

/**
 * Everything the CLI touches outside itself, injectable so that tests run `main()` in-process
 * with captured output, a fixed environment and a frozen clock.
 */
export interface CliIO {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Current time in milliseconds; defaults to Date.now. */
  readonly now?: () => number;
}

/** The real process streams and environment. */
export function processIO(): CliIO {
  // `sigil decode … | head -1` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") === 0) stream.on("error", ignoreBrokenPipe);
  }
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Upper bound on anything read from stdin (a token or claims): input is never buffered without limit. */
const STDIN_LIMIT_BYTES = 1024 * 1024;

/** Reads all of stdin as UTF-8. Refuses to wait on an interactive terminal. */
export async function readStdin(io: CliIO, what: string): Promise<string> {
  if (io.stdin.isTTY) {
    throw new CliError(`no ${what} given: pass it as an argument or pipe it on stdin`);
  }
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let text = "";
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    size += bytes.byteLength;
    if (size > STDIN_LIMIT_BYTES) {
      throw new CliError(`${what} on stdin is larger than ${STDIN_LIMIT_BYTES} bytes`);
    }
    text += decoder.decode(bytes, { stream: true });
  }
  return text + decoder.decode();
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") process.exitCode = 1;
}
