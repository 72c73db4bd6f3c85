import { formatDuration } from "@sigil/jwt";
import { isHmacAlgorithm } from "./algorithms.js";
import { findSensitiveClaims } from "./sensitive.js";
import { TIME_CLAIMS } from "./times.js";

/** A finding about a token's design (not its validity: decode never checks the signature). */
export interface TokenWarning {
  /** Stable, for `--json` consumers and tests. */
  readonly code:
    | "NO_EXP"
    | "LONG_LIFETIME"
    | "ALG_NONE"
    | "SHARED_SECRET_ALG"
    | "NO_TYP"
    | "SENSITIVE_CLAIM"
    | "TIME_NOT_NUMERIC"
    | "TIME_IN_MILLISECONDS"
    | "TOKEN_LARGE";
  readonly message: string;
}

/** Access tokens should live minutes; an hour is already generous (RFC 9068 §5, RFC 8725 §3.10). */
const MAX_RECOMMENDED_LIFETIME_SECONDS = 3600;

/** The default maxTokenSize of Sigil's verifier. */
const VERIFIER_SIZE_LIMIT = 8192;

/** Everything worth telling an operator about a token's header and claims. */
export function tokenWarnings(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  options: { tokenBytes?: number } = {},
): TokenWarning[] {
  const warnings: TokenWarning[] = [];
  if (options.tokenBytes !== undefined && options.tokenBytes > VERIFIER_SIZE_LIMIT) {
    warnings.push({
      code: "TOKEN_LARGE",
      message: `the token is ${options.tokenBytes} bytes: verifiers reject tokens over ${VERIFIER_SIZE_LIMIT} bytes by default; keep profile data out of tokens`,
    });
  }
  const alg = typeof header["alg"] === "string" ? header["alg"] : "";
  if (alg.toLowerCase() === "none") {
    warnings.push({
      code: "ALG_NONE",
      message: "alg is none: the token is unsigned, anyone can forge it; no verifier may accept it (RFC 8725 §3.1)",
    });
  } else if (isHmacAlgorithm(alg)) {
    warnings.push({
      code: "SHARED_SECRET_ALG",
      message: `${alg} is a shared-secret algorithm: every service that can verify can also forge tokens; prefer EdDSA or ES256 across services`,
    });
  }
  if (header["typ"] === undefined) {
    warnings.push({
      code: "NO_TYP",
      message:
        "no typ header: a verifier cannot tell an access token (typ at+jwt, RFC 9068 §2.1) from an ID token or another JWT",
    });
  }
  const exp = payload["exp"];
  const iat = payload["iat"];
  if (exp === undefined) {
    warnings.push({
      code: "NO_EXP",
      message: "no exp claim: the token never expires, so a leaked copy works forever (Sigil's verifier rejects it)",
    });
  } else if (typeof exp === "number" && typeof iat === "number" && exp - iat > MAX_RECOMMENDED_LIFETIME_SECONDS) {
    warnings.push({
      code: "LONG_LIFETIME",
      message: `lifetime is ${formatDuration(exp - iat)} (exp - iat): a stolen token stays usable that long; keep access tokens to minutes and use refresh tokens`,
    });
  }
  for (const claim of TIME_CLAIMS) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      warnings.push({
        code: "TIME_NOT_NUMERIC",
        message: `${claim} is not a number: a NumericDate is seconds since 1970 (RFC 7519 §2); verifiers reject it`,
      });
    } else if (value > 1e11) {
      warnings.push({
        code: "TIME_IN_MILLISECONDS",
        message: `${claim} looks like milliseconds, not seconds: the date is thousands of years away`,
      });
    }
  }
  for (const finding of findSensitiveClaims(payload)) {
    warnings.push({
      code: "SENSITIVE_CLAIM",
      message: `claim "${finding.path}" looks like ${finding.looksLike}: JWT payloads are readable by anyone who holds the token${
        finding.kind === "secret" ? "; never put secrets in a token" : ""
      }`,
    });
  }
  return warnings;
}
