import type { JWKSKeySet, JWSAlgorithm } from "@sigil/jwt";
import { CliError, usageError } from "./errors.js";
import { readTextFile } from "./files.js";
import { keySetFrom } from "./keys.js";

const FETCH_TIMEOUT_MS = 5000;
const JWKS_LIMIT_BYTES = 1024 * 1024;

/**
 * A JWKS from a URL (http or https only, 5 s timeout, 1 MiB cap) or a file. Other URL schemes
 * are refused rather than guessed at.
 */
export async function loadJWKS(source: string, algorithms: readonly JWSAlgorithm[]): Promise<JWKSKeySet> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) {
    return keySetFrom(await fetchJWKS(source), `JWKS at ${redact(source)}`, algorithms);
  }
  return keySetFrom(await readTextFile(source, "JWKS file"), `JWKS file '${source}'`, algorithms);
}

async function fetchJWKS(source: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw usageError(`--jwks: '${source}' is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw usageError(`--jwks: only http and https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username !== "" || url.password !== "") {
    // fetch refuses such URLs anyway, and its message would repeat the password.
    throw usageError(`--jwks: the URL must not contain a user name or password (${redact(source)})`);
  }
  const shown = redact(source);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      headers: { accept: "application/jwk-set+json, application/json" },
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const reason = name === "TimeoutError" ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : causeMessage(error);
    throw new CliError(`cannot fetch JWKS from ${shown}: ${reason}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new CliError(`cannot fetch JWKS from ${shown}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > JWKS_LIMIT_BYTES) {
    await response.body?.cancel();
    throw new CliError(`JWKS at ${shown} is larger than ${JWKS_LIMIT_BYTES} bytes`);
  }
  const body = await response.text();
  if (Buffer.byteLength(body) > JWKS_LIMIT_BYTES) {
    throw new CliError(`JWKS at ${shown} is larger than ${JWKS_LIMIT_BYTES} bytes`);
  }
  return body;
}

/** undici reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  if (cause instanceof Error) return cause.message.split("\n", 1)[0] ?? "network error";
  return error instanceof Error ? (error.message.split("\n", 1)[0] ?? "network error") : "network error";
}

/** A URL as shown in messages: without user:password, which may be a credential. */
function redact(source: string): string {
  try {
    const url = new URL(source);
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return source;
  }
}
