import { JWTError } from "../errors/jwt-error.js";
import { base64Error, checkSize, decodeHeader, segmentCountError } from "../jws/compact.js";
import { checkHeader } from "../jws/header-check.js";
import { selectKeys } from "../jws/key-selection.js";
import { decodeCheckedSegment, hasOnlyUnambiguousASCII } from "../lib/base64url.js";
import { deepFreeze } from "../lib/deep-freeze.js";
import { parseJSONObject, utf8Text } from "../lib/json-object.js";
import { printable } from "../lib/printable.js";
import type { JWTPayload, VerificationKey } from "../types.js";
import { compileClaimChecks } from "./claim-checks.js";
import { HeaderCache, type HeaderEntry } from "./header-cache.js";
import { resolveOptions, type VerifierConfig } from "./resolve-options.js";
import { type CachedToken, TokenCache } from "./token-cache.js";
import { normalizeTyp } from "./typ.js";
import type { VerifiedToken, Verifier, VerifierOptions } from "./verifier-options.js";

/**
 * Builds a JWT verifier. Everything that does not depend on the token is done here, once:
 * options are validated (OPTIONS_INVALID names the bad one), the allow-list becomes a Set,
 * keys are checked against their algorithms, claim checks are compiled. The returned function
 * is synchronous and throws a {@link JWTError} with a stable `code`.
 *
 * Per token, in this order (RFC 8725): size, cache, three segments, strict base64url, header
 * `alg` against the allow-list, `crit`/`b64`, `typ`, key by `kid` among held keys, signature —
 * and only then the payload is parsed and its claims checked.
 *
 * @example
 * const verify = createVerifier({ algorithms: ["EdDSA"], keys: [publicKey], issuer: "https://auth.example.com", audience: "api" });
 * const { payload } = verify(token); // throws JWTError, e.g. err.code === "TOKEN_EXPIRED"
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const config = resolveOptions(options);
  const claims = compileClaimChecks(config);
  const { keySet, maxTokenSize, now } = config;
  const headers = new HeaderCache();
  const cache = config.cacheEntries > 0 ? new TokenCache(config.cacheEntries, keySet.version) : undefined;

  return function verifyJWT(token: string): VerifiedToken {
    if (typeof token !== "string" || token.length > maxTokenSize) checkSize(token, maxTokenSize);
    const nowMs = now();
    if (!Number.isFinite(nowMs))
      throw new JWTError("OPTIONS_INVALID", "now() did not return a number", { option: "now" });
    const version = keySet.version;
    if (cache !== undefined) {
      const hit = cache.get(token, version);
      if (hit !== undefined) {
        try {
          claims.times(hit, nowMs);
        } catch (error) {
          cache.delete(token);
          throw error;
        }
        return hit.result ?? materialize(hit, token);
      }
    }

    const first = token.indexOf(".");
    const second = first === -1 ? -1 : token.indexOf(".", first + 1);
    if (second === -1 || token.indexOf(".", second + 1) !== -1) throw segmentCountError(token);
    if (!hasOnlyUnambiguousASCII(token)) throw alphabetError(token, first, second);

    const entry = headers.find(token, first) ?? readHeader(token.slice(0, first), config, headers);
    if (entry.keysVersion !== version) {
      entry.candidates = selectKeys(keySet, entry.alg, entry.kid);
      entry.keysVersion = version;
    }

    const signatureSegment = token.slice(second + 1);
    const signature = decodeCheckedSegment(signatureSegment);
    if (signature === undefined) throw base64Error(signatureSegment, "signature");
    const payloadSegment = token.slice(first + 1, second);
    const payloadBytes = decodeCheckedSegment(payloadSegment);
    if (payloadBytes === undefined) throw base64Error(payloadSegment, "payload");

    // RFC 7515 §5.2 step 8: the signing input is the ASCII of `header.payload` as received.
    const signingInput = token.slice(0, second);
    let key: VerificationKey | undefined;
    for (const candidate of entry.candidates) {
      if (candidate.check(signingInput, signature)) {
        key = candidate.source;
        break;
      }
    }
    if (key === undefined) {
      throw new JWTError("SIGNATURE_INVALID", `the ${entry.alg} signature does not verify with the held key`, {
        alg: entry.alg,
      });
    }

    // Only now, with the signature checked, is the payload parsed (RFC 7519 §7.2 steps 8-10).
    const payload = parseJSONObject(utf8Text(payloadBytes)) as JWTPayload | undefined;
    if (payload === undefined) throw new JWTError("MALFORMED", "the payload is not a UTF-8 JSON object");
    claims.all(payload, nowMs);
    const header = entry.header;
    if (cache?.admits(token, version)) {
      const { exp, nbf, iat } = payload;
      cache.set({ token, exp, nbf, iat, header, key, result: undefined }, version);
    }
    return { header, payload, key };
  };
}

/** A cached token's shared result, parsed again from the (verified) token and frozen on its first hit. */
function materialize(hit: CachedToken, token: string): VerifiedToken {
  const start = token.indexOf(".") + 1;
  const json = Buffer.from(token.slice(start, token.indexOf(".", start)), "base64url").toString("utf8");
  const payload = deepFreeze(JSON.parse(json) as JWTPayload);
  const result: VerifiedToken = Object.freeze({ header: hit.header, payload, key: hit.key });
  hit.result = result;
  return result;
}

/** Parses and checks a header not seen before, and remembers it. */
function readHeader(segment: string, config: VerifierConfig, headers: HeaderCache): HeaderEntry {
  const header = decodeHeader(segment);
  const spec = checkHeader(header, config);
  if (config.typ !== undefined) {
    const typ = header.typ;
    // RFC 8725 §3.11: explicit typing keeps one kind of JWT from being accepted as another.
    if (typ === undefined || normalizeTyp(typ) !== config.typ) {
      throw new JWTError("TYP_MISMATCH", `typ ${printable(typ)} is not the expected "${config.typ}"`, {
        expected: config.typ,
        actual: printable(typ),
      });
    }
  }
  const kid = header.kid;
  const entry: HeaderEntry = {
    segment,
    header: deepFreeze(header),
    alg: spec.alg,
    kid,
    keysVersion: Number.NaN,
    candidates: [],
  };
  headers.add(entry);
  return entry;
}

/** MALFORMED for a token with characters outside base64url, naming the segment. */
function alphabetError(token: string, first: number, second: number): JWTError {
  for (const [name, segment] of [
    ["header", token.slice(0, first)],
    ["payload", token.slice(first + 1, second)],
    ["signature", token.slice(second + 1)],
  ] as const) {
    if (!hasOnlyUnambiguousASCII(segment)) return base64Error(segment, name);
  }
  return new JWTError("MALFORMED", "the token is not base64url");
}
