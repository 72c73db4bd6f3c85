import { createPublicKey } from "node:crypto";
import {
  importJWK,
  importPEM,
  isJWTError,
  type JWK,
  type JWKS,
  type JWKSKeySet,
  type JWSAlgorithm,
  jwksKeySet,
  type SigningKey,
  type VerificationKey,
} from "@sigil/jwt";
import { CliError } from "./errors.js";
import { isJSONObject, parseJSON, readTextFile } from "./files.js";

/** What a key file holds: a PEM block, one JWK, or a JWK Set. */
export type KeyFileContent = { kind: "pem"; pem: string } | { kind: "jwk"; jwk: JWK } | { kind: "jwks"; jwks: JWKS };

/** Reads and classifies a key file (PEM or JWK JSON), without importing the key. */
export async function readKeyFile(path: string): Promise<KeyFileContent> {
  const text = await readTextFile(path, "key file");
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN ")) return { kind: "pem", pem: trimmed };
  if (!trimmed.startsWith("{")) {
    throw new CliError(`key file '${path}' holds neither a PEM key nor a JWK (JSON object)`);
  }
  const value = parseJSON(trimmed, `key file '${path}'`);
  if (isJSONObject(value) && Array.isArray(value["keys"])) return { kind: "jwks", jwks: value as unknown as JWKS };
  if (isJSONObject(value) && typeof value["kty"] === "string") return { kind: "jwk", jwk: value as JWK };
  throw new CliError(`key file '${path}' is JSON but not a JWK (no "kty") or a JWK Set (no "keys")`);
}

/**
 * The keys in a key file, usable for verification. A private key is reduced to its public half
 * so that nothing verify holds could sign. With algorithms given, the key is imported once per
 * algorithm it fits (an RSA key may serve RS256 and PS256); without, the key's own `alg` (or the
 * one its type implies) is used.
 */
export async function loadVerificationKeys(
  path: string,
  algorithms: readonly JWSAlgorithm[],
  options: { tokenKid?: string | undefined } = {},
): Promise<VerificationKey[]> {
  const content = await readKeyFile(path);
  // A PEM key (or a JWK without "kid") has no key id of its own; the operator named this very key,
  // so it answers to the token's kid instead of a thumbprint the token cannot know.
  const kid = content.kind === "jwk" && typeof content.jwk.kid === "string" ? undefined : options.tokenKid;
  if (content.kind === "jwks") {
    return [...keySetFrom(content.jwks, `key file '${path}'`, algorithms).keys];
  }
  const keys: VerificationKey[] = [];
  const failures: string[] = [];
  for (const alg of algorithms.length > 0 ? algorithms : [undefined]) {
    try {
      const key = importContent(content, alg, kid);
      keys.push(key.key.type === "private" ? { kid: key.kid, alg: key.alg, key: createPublicKey(key.key) } : key);
    } catch (error) {
      if (!isJWTError(error)) throw error;
      failures.push(error.message);
    }
  }
  if (keys.length === 0) {
    throw new CliError(`cannot use the key in '${path}': ${[...new Set(failures)].join("; ")}`, algHint(algorithms));
  }
  return keys;
}

/** The signing key in a key file (a private JWK or PEM, or an HMAC `oct` JWK). */
export async function loadSigningKey(path: string, alg: JWSAlgorithm | undefined): Promise<SigningKey> {
  const content = await readKeyFile(path);
  if (content.kind === "jwks") {
    throw new CliError(`key file '${path}' is a JWK Set: signing needs one private key`);
  }
  let key: SigningKey;
  try {
    key = importContent(content, alg, undefined);
  } catch (error) {
    if (!isJWTError(error)) throw error;
    throw new CliError(`cannot use the key in '${path}': ${error.message}`, algHint(alg === undefined ? [] : [alg]));
  }
  if (key.key.type === "public") {
    throw new CliError(`key file '${path}' holds a public key: signing needs the private key`);
  }
  return key;
}

/** Without --alg, a key that does not name its algorithm (RSA PEM) needs one: say how to give it. */
function algHint(algorithms: readonly JWSAlgorithm[]): { hint?: string } {
  return algorithms.length === 0 ? { hint: "pass --alg to name the key's algorithm, e.g. --alg RS256" } : {};
}

function importContent(
  content: { kind: "pem"; pem: string } | { kind: "jwk"; jwk: JWK },
  alg: JWSAlgorithm | undefined,
  kid: string | undefined,
): SigningKey {
  const options = { ...(alg === undefined ? {} : { alg }), ...(kid === undefined ? {} : { kid }) };
  return content.kind === "pem" ? importPEM(content.pem, options) : importJWK(content.jwk, options);
}

/** A key set from a JWKS document, with engine errors turned into one line naming the source. */
export function keySetFrom(jwks: JWKS | string, source: string, algorithms: readonly JWSAlgorithm[]): JWKSKeySet {
  let set: JWKSKeySet;
  try {
    set = jwksKeySet(jwks, algorithms.length > 0 ? { algorithms } : {});
  } catch (error) {
    if (!isJWTError(error)) throw error;
    throw new CliError(`cannot use the JWKS in ${source}: ${error.message}`);
  }
  if (set.keys.length === 0) {
    const reasons = set.skipped.map(
      (s) => `key ${s.kid === undefined ? `#${s.index}` : JSON.stringify(s.kid)}: ${s.reason}`,
    );
    throw new CliError(
      `${source} holds no usable signature verification key${reasons.length > 0 ? ` (${reasons.slice(0, 3).join("; ")})` : ""}`,
    );
  }
  return set;
}
