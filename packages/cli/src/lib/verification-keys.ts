import {
  checkSecret,
  createSecretKey,
  type JWSAlgorithm,
  type VerificationKey,
  type VerificationKeySet,
} from "@sigil/jwt";
import { isHmacAlgorithm } from "./algorithms.js";
import { usageError } from "./errors.js";
import { loadJWKS } from "./jwks-source.js";
import { loadVerificationKeys } from "./keys.js";
import { secretFromEnv } from "./secret-env.js";

/** Where `verify` gets its keys: exactly one of --jwks, --key, --secret-env. */
export interface KeySourceOptions {
  readonly jwks?: string | undefined;
  readonly key?: string | undefined;
  readonly secretEnv?: string | undefined;
}

/** The keys and the algorithm allow-list verify will use, plus warnings about them. */
export interface ResolvedKeys {
  readonly keys: VerificationKeySet | VerificationKey[];
  readonly algorithms: JWSAlgorithm[];
  /** Human warnings (a weak secret), printed loudly but not fatal: verify may check legacy tokens. */
  readonly warnings: { code: "WEAK_SECRET"; message: string }[];
}

/**
 * Loads the keys named on the command line. With --key and --jwks the allow-list defaults to the
 * keys' own algorithms; with --secret-env it must be given, because a bare secret carries no
 * algorithm and guessing one is exactly what RFC 8725 §3.1 forbids.
 */
export async function resolveVerificationKeys(
  source: KeySourceOptions,
  requested: readonly JWSAlgorithm[],
  options: { env: Readonly<Record<string, string | undefined>>; tokenKid: string | undefined },
): Promise<ResolvedKeys> {
  const given = [source.jwks, source.key, source.secretEnv].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw usageError(
      given === 0
        ? "verify needs a key: give --jwks URL|FILE, --key FILE or --secret-env VAR"
        : "give only one of --jwks, --key and --secret-env",
      "see: sigil verify --help",
    );
  }
  if (source.secretEnv !== undefined) return secretKeys(source.secretEnv, requested, options);
  if (source.key !== undefined) {
    const keys = await loadVerificationKeys(source.key, requested, { tokenKid: options.tokenKid });
    return { keys, algorithms: requested.length > 0 ? [...requested] : algorithmsOf(keys), warnings: [] };
  }
  const set = await loadJWKS(source.jwks ?? "", requested);
  return { keys: set, algorithms: requested.length > 0 ? [...requested] : algorithmsOf(set.keys), warnings: [] };
}

function secretKeys(
  variable: string,
  requested: readonly JWSAlgorithm[],
  options: { env: Readonly<Record<string, string | undefined>>; tokenKid: string | undefined },
): ResolvedKeys {
  if (requested.length === 0) {
    throw usageError(
      "--secret-env needs --alg (HS256, HS384 or HS512): a secret does not say which algorithm it is for",
    );
  }
  const hmac = requested.filter(isHmacAlgorithm);
  const wrong = requested.filter((alg) => !isHmacAlgorithm(alg));
  if (wrong.length > 0) {
    throw usageError(`--secret-env holds an HMAC secret, which cannot verify ${wrong.join(", ")}; use --key or --jwks`);
  }
  const secret = secretFromEnv(variable, options.env);
  const warnings: ResolvedKeys["warnings"] = [];
  const keys: VerificationKey[] = [];
  for (const alg of hmac) {
    const weakness = checkSecret(secret, { alg });
    if (weakness !== null && !warnings.some((w) => w.message.endsWith(weakness.message))) {
      warnings.push({
        code: "WEAK_SECRET",
        message: `the secret in ${variable} is weak (${weakness.reason}): ${weakness.message}`,
      });
    }
    // Weak secrets are still used here — verify exists to debug legacy tokens — but never for signing.
    const kid = options.tokenKid;
    keys.push(createSecretKey(secret, { alg, allowWeak: true, ...(kid === undefined ? {} : { kid }) }));
  }
  return { keys, algorithms: [...requested], warnings };
}

function algorithmsOf(keys: readonly VerificationKey[]): JWSAlgorithm[] {
  return [...new Set(keys.map((k) => k.alg))];
}
