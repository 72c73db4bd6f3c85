import { parseArgs } from "node:util";
import { createVerifier, DEFAULT_CLOCK_TOLERANCE, decodeJWT, isJWTError, type JWTError } from "@sigil/jwt";
import { parseAlgorithms } from "../lib/algorithms.js";
import { parseOrUsage, parseSeconds, singlePositional, splitList } from "../lib/args.js";
import { CliError, EXIT_OK, EXIT_REJECTED } from "../lib/errors.js";
import { prettyJSON } from "../lib/render.js";
import { describeTimeClaims } from "../lib/times.js";
import { readToken } from "../lib/token-input.js";
import { toleranceVerdict, toleratedClaims } from "../lib/tolerance.js";
import { resolveVerificationKeys } from "../lib/verification-keys.js";
import type { Command, CommandContext } from "./command.js";

export const verifyCommand: Command = {
  name: "verify",
  summary: "check a token's signature and claims; exit 0 only when it is valid",
  help: `Usage: sigil verify [TOKEN|-] (--jwks URL|FILE | --key FILE | --secret-env VAR) [options]

Checks the signature and the claims (exp, nbf, iat, iss, aud, sub, typ) the way a Sigil verifier
does, and prints the verified claims, or the error code, its explanation and how to fix it.

Keys (exactly one):
  --jwks URL|FILE         a JWK Set: an http(s) URL (fetched, 5 s timeout) or a file
  --key FILE              a public (or private) key: PEM, JWK or JWK Set JSON
  --secret-env VAR        an HMAC secret read from environment variable VAR (never from the
                          command line, which ends up in shell history and ps); needs --alg

Checks:
  --alg ALG               allowed algorithm; repeat or comma-separate for several
                          (default with --key/--jwks: the keys' own algorithms)
  --iss ISSUER            required issuer (repeatable: any of them)
  --aud AUDIENCE          required audience (repeatable: any of them)
  --sub SUBJECT           required subject
  --typ TYP               required typ header, e.g. at+jwt (RFC 9068)
  --clock-tolerance SEC   allowed clock skew in seconds for exp, nbf, iat (default ${DEFAULT_CLOCK_TOLERANCE});
                          a token valid only within it is accepted, and the output says so
  --max-age SEC           reject tokens issued (iat) longer ago than this
  --allow-no-exp          accept tokens without exp (by default they are rejected)
  --json                  print {valid, header, payload, kid, warnings} or {valid: false, error} as JSON

Exit status: 0 valid, 1 rejected, 2 usage error (bad flag, unreadable key, unset variable).

Examples:
  sigil verify "$TOKEN" --jwks https://auth.example.com/.well-known/jwks.json --aud api
  S=... sigil verify "$TOKEN" --alg HS256 --secret-env S`,

  async run(args, context) {
    const { values, positionals } = parseOrUsage("verify", () =>
      parseArgs({
        args: [...args],
        options: {
          jwks: { type: "string" },
          key: { type: "string" },
          "secret-env": { type: "string" },
          alg: { type: "string", multiple: true },
          iss: { type: "string", multiple: true },
          aud: { type: "string", multiple: true },
          sub: { type: "string" },
          typ: { type: "string" },
          "clock-tolerance": { type: "string" },
          "max-age": { type: "string" },
          "allow-no-exp": { type: "boolean" },
          json: { type: "boolean" },
        },
        strict: true,
        allowPositionals: true,
      }),
    );
    const requested = parseAlgorithms(splitList(values.alg));
    const clockTolerance =
      values["clock-tolerance"] === undefined
        ? DEFAULT_CLOCK_TOLERANCE
        : parseSeconds("--clock-tolerance", values["clock-tolerance"]);
    const maxTokenAge = values["max-age"] === undefined ? undefined : parseSeconds("--max-age", values["max-age"]);
    const token = await readToken(singlePositional("verify", positionals, "token"), context.io);

    const resolved = await resolveVerificationKeys(
      { jwks: values.jwks, key: values.key, secretEnv: values["secret-env"] },
      requested,
      { env: context.io.env, tokenKid: tokenKid(token) },
    );
    for (const warning of resolved.warnings) {
      context.err(context.errStyle.red(`sigil: WARNING: ${warning.message}`));
    }

    let verify: ReturnType<typeof createVerifier>;
    try {
      verify = createVerifier({
        algorithms: resolved.algorithms,
        keys: resolved.keys,
        ...(values.iss === undefined ? {} : { issuer: values.iss.length === 1 ? values.iss[0] : values.iss }),
        ...(values.aud === undefined ? {} : { audience: values.aud.length === 1 ? values.aud[0] : values.aud }),
        ...(values.sub === undefined ? {} : { subject: values.sub }),
        ...(values.typ === undefined ? {} : { typ: values.typ }),
        clockTolerance,
        ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
        requireExpiry: values["allow-no-exp"] !== true,
        cache: false,
        now: context.now,
      });
    } catch (error) {
      if (isJWTError(error)) throw new CliError(`${error.code}: ${error.message}`);
      throw error;
    }

    let result: ReturnType<typeof verify>;
    try {
      result = verify(token);
    } catch (error) {
      if (!isJWTError(error)) throw error;
      reportRejection(context, error, { json: values.json === true, warnings: resolved.warnings });
      return EXIT_REJECTED;
    }
    const { header, payload, key } = result;
    // Accepted, but perhaps only because of the tolerance: say so, or a token that expired
    // seconds ago reads as plainly valid (the dates below would contradict the verdict).
    const tolerated = toleratedClaims(payload, context.now(), { maxTokenAge });
    if (values.json === true) {
      context.out(
        prettyJSON({
          valid: true,
          alg: key.alg,
          kid: key.kid,
          header,
          payload,
          clockTolerance,
          withinClockTolerance: tolerated,
          warnings: resolved.warnings,
        }),
      );
      return EXIT_OK;
    }
    const style = context.outStyle;
    const checked = `signature and claims checked (alg ${key.alg}, key id ${JSON.stringify(key.kid)})`;
    context.out(
      tolerated.length === 0
        ? style.green(`valid: ${checked}`)
        : style.yellow(`${toleranceVerdict(tolerated, clockTolerance)}: ${checked}`),
    );
    context.out(prettyJSON(payload));
    for (const line of describeTimeClaims(payload, context.now())) context.out(`  ${line}`);
    return EXIT_OK;
  },
};

/** The token's kid, if it parses; a malformed token is left for the verifier to reject with its code. */
function tokenKid(token: string): string | undefined {
  try {
    const kid = decodeJWT(token).header.kid;
    return typeof kid === "string" ? kid : undefined;
  } catch {
    return undefined;
  }
}

function reportRejection(
  context: CommandContext,
  error: JWTError,
  options: { json: boolean; warnings: readonly { code: string; message: string }[] },
): void {
  const hint =
    error.code === "CLAIM_MISSING" && error.details.claim === "exp"
      ? "verification requires exp; pass --allow-no-exp to accept tokens that never expire"
      : undefined;
  if (options.json) {
    const { code, message, fix, details } = error;
    context.out(prettyJSON({ valid: false, error: { code, message, fix, details, hint }, warnings: options.warnings }));
    return;
  }
  const style = context.outStyle;
  context.out(style.red(`error ${error.code}: ${error.message}`));
  context.out(`fix: ${error.fix}`);
  if (hint !== undefined) context.out(`hint: ${hint}`);
}
