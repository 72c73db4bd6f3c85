import { parseArgs } from "node:util";
import { decodeJWT, isJWTError } from "@sigil/jwt";
import { parseOrUsage, singlePositional } from "../lib/args.js";
import { CliError, EXIT_OK, EXIT_REJECTED } from "../lib/errors.js";
import { prettyJSON, section, warningLines } from "../lib/render.js";
import { describeTimeClaims, isoDate } from "../lib/times.js";
import { readToken } from "../lib/token-input.js";
import { tokenWarnings } from "../lib/token-warnings.js";
import type { Command } from "./command.js";

const DECODE_SIZE_LIMIT = 64 * 1024;

const NOT_CHECKED =
  "Signature NOT checked: decode only reads the token and says nothing about whether it is valid. Use 'sigil verify' with the issuer's key.";

export const decodeCommand: Command = {
  name: "decode",
  summary: "show a token's header, claims, dates and warnings (does not check the signature)",
  help: `Usage: sigil decode [TOKEN|-] [--json]

Shows the header and claims of a JWT, its dates (exp, nbf, iat, auth_time) as ISO dates and
relative times, and warnings about its design: no exp, a lifetime over 1 h, alg none, shared-secret
(HS*) algorithms, no typ, and claims that look like personal or secret data.

The signature is NOT checked: decode never says a token is valid. Use 'sigil verify' for that.

The token is read from the argument, or from stdin when it is absent or "-". Surrounding whitespace
and a "Bearer " prefix are removed.

Options:
  --json   print {header, payload, warnings, signatureChecked: false} as JSON

Example:
  sigil decode eyJhbGciOi...
  pbpaste | sigil decode`,

  async run(args, context) {
    const { values, positionals } = parseOrUsage("decode", () =>
      parseArgs({ args: [...args], options: { json: { type: "boolean" } }, strict: true, allowPositionals: true }),
    );
    const token = await readToken(singlePositional("decode", positionals, "token"), context.io);
    let decoded: ReturnType<typeof decodeJWT>;
    try {
      // Larger than a verifier's limit, so that an oversized token can still be inspected (and warned about).
      decoded = decodeJWT(token, { maxTokenSize: DECODE_SIZE_LIMIT });
    } catch (error) {
      if (isJWTError(error)) throw new CliError(`not a JWT: ${error.message}`, { exitCode: EXIT_REJECTED });
      throw error;
    }
    const { header, payload } = decoded;
    const warnings = tokenWarnings(header, payload, { tokenBytes: Buffer.byteLength(token) });
    if (values.json === true) {
      context.out(prettyJSON({ header, payload, warnings, signatureChecked: false }));
      return EXIT_OK;
    }
    const style = context.outStyle;
    const nowMs = context.now();
    const times = describeTimeClaims(payload, nowMs);
    const lines = [
      ...section(style, "Header", [prettyJSON(header)]),
      ...section(style, "Payload", [prettyJSON(payload)]),
      ...(times.length > 0
        ? section(
            style,
            `Dates (now ${isoDate(nowMs / 1000)})`,
            times.map((t) => `  ${t}`),
          )
        : []),
      ...(warnings.length > 0
        ? section(style, `Warnings (${warnings.length})`, warningLines(style, warnings))
        : section(style, "Warnings", ["  none"])),
      style.yellow(NOT_CHECKED),
    ];
    context.out(lines.join("\n"));
    return EXIT_OK;
  },
};
