import { parseArgs } from "node:util";
import { createSecretKey, isJWTError, type JWSAlgorithm, type JWTPayload, type SigningKey, signJWT } from "@sigil/jwt";
import { isHmacAlgorithm, parseAlgorithms } from "../lib/algorithms.js";
import { parseOrUsage, singlePositional, splitList } from "../lib/args.js";
import { parseTTL } from "../lib/duration.js";
import { CliError, EXIT_OK, usageError } from "../lib/errors.js";
import { isJSONObject, parseJSON } from "../lib/files.js";
import type { CliIO } from "../lib/io.js";
import { readStdin } from "../lib/io.js";
import { loadSigningKey } from "../lib/keys.js";
import { secretFromEnv } from "../lib/secret-env.js";
import { isoDate } from "../lib/times.js";
import type { Command } from "./command.js";

const DEFAULT_TTL = "15m";

export const signCommand: Command = {
  name: "sign",
  summary: "sign a token from JSON claims (for testing)",
  help: `Usage: sigil sign [CLAIMS_JSON|-] (--key FILE | --secret-env VAR --alg HS256) [options]

Signs a JWT, for testing verifiers. Claims come from the JSON argument, or from stdin when it is
absent or "-" (none at all means {}). iat, jti and exp are set for you; a token always expires.

Options:
  --key FILE         private key: PEM or JWK (from 'sigil keygen'), or an HMAC "oct" JWK
  --secret-env VAR   HMAC secret from environment variable VAR (weak secrets are refused)
  --alg ALG          algorithm (required with --secret-env; default: the key's)
  --ttl TTL          lifetime: seconds or 30s, 15m, 1h, 7d (default ${DEFAULT_TTL})
  --typ TYP          typ header, e.g. at+jwt
  --iss ISSUER       iss claim
  --aud AUDIENCE     aud claim (repeat for several)
  --sub SUBJECT      sub claim

Flags override the same claims in the JSON. An "exp" in the JSON is kept when --ttl is not given;
it must be after iat (now, unless the JSON has one) and after nbf: a token for testing expiry
needs an iat before its exp, e.g. '{"iat":1700000000,"exp":1700000900}'.

Example:
  sigil sign '{"scope":"read"}' --key signing.jwk --sub alice --aud api --typ at+jwt`,

  async run(args, context) {
    const { values, positionals } = parseOrUsage("sign", () =>
      parseArgs({
        args: [...args],
        options: {
          key: { type: "string" },
          "secret-env": { type: "string" },
          alg: { type: "string" },
          ttl: { type: "string" },
          typ: { type: "string" },
          iss: { type: "string" },
          aud: { type: "string", multiple: true },
          sub: { type: "string" },
        },
        strict: true,
        allowPositionals: true,
      }),
    );
    const [alg, ...extra] = parseAlgorithms(splitList(values.alg === undefined ? [] : [values.alg]));
    if (extra.length > 0) throw usageError("sign takes one --alg");
    const claims = await readClaims(singlePositional("sign", positionals, "claims JSON"), context.io);
    if (claims["exp"] !== undefined && values.ttl !== undefined) {
      throw usageError('give the lifetime either as --ttl or as an "exp" claim, not both');
    }
    const expiresIn =
      claims["exp"] !== undefined && values.ttl === undefined
        ? undefined
        : parseTTL("--ttl", values.ttl ?? DEFAULT_TTL);
    const payload: JWTPayload = {
      ...claims,
      ...(values.iss === undefined ? {} : { iss: values.iss }),
      ...(values.sub === undefined ? {} : { sub: values.sub }),
      ...(values.aud === undefined ? {} : { aud: values.aud.length === 1 ? values.aud[0] : values.aud }),
    };

    checkLifetime(payload, expiresIn, context.now());

    const key = await signingKey(values.key, values["secret-env"], alg, context.io);
    try {
      const token = signJWT(payload, key, {
        ...(expiresIn === undefined ? {} : { expiresIn }),
        ...(values.typ === undefined ? {} : { typ: values.typ }),
        now: context.now,
      });
      context.out(token);
    } catch (error) {
      if (isJWTError(error)) throw new CliError(`cannot sign: ${error.code}: ${error.message}`);
      throw error;
    }
    return EXIT_OK;
  },
};

/**
 * Refuses claims that make a token valid at no instant: RFC 7519 §4.1.4 and §4.1.5 accept a
 * token from nbf (else iat, when it was made) until before exp, so an exp at or before either
 * is a mistake — most often an "expired" test token whose iat defaulted to now. Claims of the
 * wrong type are left to signJWT, which names them.
 */
function checkLifetime(payload: JWTPayload, expiresIn: number | undefined, nowMs: number): void {
  const iatGiven = payload.iat !== undefined;
  const iat = iatGiven ? payload.iat : Math.floor(nowMs / 1000);
  if (!isNumber(iat)) return;
  // With --ttl, signJWT sets exp = iat + ttl: after iat by construction, but maybe not after nbf.
  const exp = expiresIn === undefined ? payload.exp : iat + expiresIn;
  const { nbf } = payload;
  if (!isNumber(exp)) return;
  if (exp <= iat) {
    const iatText = `iat ${isoDate(iat)}${iatGiven ? "" : " (now)"}`;
    throw usageError(
      `exp ${isoDate(exp)} is not after ${iatText}: the token would never be valid`,
      iatGiven
        ? "give an exp after iat"
        : `for an expired token give an earlier iat too: '{"iat":${exp - 900},"exp":${exp}}'`,
    );
  }
  if (isNumber(nbf) && exp <= nbf) {
    throw usageError(`exp ${isoDate(exp)} is not after nbf ${isoDate(nbf)}: the token would never be valid`);
  }
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

async function readClaims(argument: string | undefined, io: CliIO): Promise<Record<string, unknown>> {
  let text: string;
  let source = "the claims argument";
  if (argument === undefined || argument === "-") {
    if (argument === undefined && io.stdin.isTTY) return {};
    text = await readStdin(io, "claims");
    source = "the claims on stdin";
  } else {
    text = argument;
  }
  if (text.trim() === "") return {};
  const value = parseJSON(text, source);
  if (!isJSONObject(value)) throw new CliError(`${source} must be a JSON object, like {"sub":"alice"}`);
  return value;
}

async function signingKey(
  keyFile: string | undefined,
  secretEnv: string | undefined,
  alg: JWSAlgorithm | undefined,
  io: CliIO,
): Promise<SigningKey> {
  if ((keyFile === undefined) === (secretEnv === undefined)) {
    throw usageError("sign needs exactly one of --key FILE and --secret-env VAR", "see: sigil sign --help");
  }
  if (keyFile !== undefined) return loadSigningKey(keyFile, alg);
  if (alg === undefined || !isHmacAlgorithm(alg)) {
    throw usageError("--secret-env needs --alg HS256, HS384 or HS512");
  }
  const secret = secretFromEnv(secretEnv ?? "", io.env);
  try {
    return createSecretKey(secret, { alg });
  } catch (error) {
    if (isJWTError(error, "WEAK_SECRET")) {
      throw new CliError(`refusing to sign with the secret in ${secretEnv}: ${error.message}`, {
        hint: "generate one with: sigil secret",
      });
    }
    throw error;
  }
}
