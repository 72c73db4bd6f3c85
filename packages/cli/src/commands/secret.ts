import { parseArgs } from "node:util";
import { generateSecret } from "@sigil/jwt";
import { parseOrUsage } from "../lib/args.js";
import { EXIT_OK, usageError } from "../lib/errors.js";
import type { Command } from "./command.js";

/** 256 bits: the minimum for HS256 (RFC 7518 §3.2) and what Sigil refuses to go below. */
const MIN_BYTES = 32;
const MAX_BYTES = 1024;

export const secretCommand: Command = {
  name: "secret",
  summary: "print a strong random secret (base64url, 32 bytes by default)",
  help: `Usage: sigil secret [--bytes N]

Prints a random secret, base64url-encoded, for HMAC signing (HS256) or any server secret.
Keep it out of source control; pass it to programs through the environment.

Options:
  --bytes N   random bytes (default ${MIN_BYTES}, at least ${MIN_BYTES}; HS384 needs 48, HS512 64)

Example:
  export SIGIL_SECRET="$(sigil secret)"`,

  async run(args, context) {
    const { values } = parseOrUsage("secret", () =>
      parseArgs({ args: [...args], options: { bytes: { type: "string" } }, strict: true, allowPositionals: false }),
    );
    const bytes = values.bytes === undefined ? MIN_BYTES : Number(values.bytes);
    if (!/^\d{1,5}$/.test(values.bytes ?? String(MIN_BYTES)) || bytes < MIN_BYTES || bytes > MAX_BYTES) {
      throw usageError(
        `--bytes must be a whole number from ${MIN_BYTES} to ${MAX_BYTES}: shorter secrets can be brute-forced`,
      );
    }
    context.out(generateSecret({ bytes }));
    return EXIT_OK;
  },
};
