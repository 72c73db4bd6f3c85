import type { VerifierErrorCode } from "../errors/codes.js";
import { VerifierError } from "../errors/verifier-error.js";
import { invalidOption } from "./options.js";
import { systemTimers, type TimersLike, timeoutSignal } from "./timers.js";

/** The `fetch` the verifier uses; injectable for tests and for custom agents. */
export type FetchFunction = typeof globalThis.fetch;

/** Large enough for any real JWKS or metadata document, small enough that a hostile server cannot exhaust memory. */
const DEFAULT_MAX_BODY_BYTES = 512 * 1024;

export interface GetJSONOptions {
  fetch: FetchFunction;
  timeoutMs: number;
  /** The code of the error thrown on any failure. */
  code: VerifierErrorCode;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
  maxBytes?: number;
  /** Where the timeout runs (default Node's, unref'd). */
  timers?: TimersLike;
}

export interface JSONResponse {
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** Fetches a JSON object, bounded in time and size. Throws a VerifierError of `code` on any failure. */
export async function fetchJSONObject(url: string, options: GetJSONOptions): Promise<JSONResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeout = timeoutSignal(options.timers ?? systemTimers, options.timeoutMs);
  try {
    return await fetchWithin(url, options, { maxBytes, signal: timeout.signal });
  } finally {
    timeout.clear();
  }
}

async function fetchWithin(
  url: string,
  options: GetJSONOptions,
  { maxBytes, signal }: { maxBytes: number; signal: AbortSignal },
): Promise<JSONResponse> {
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: options.method ?? "GET",
      headers: { accept: "application/json", ...options.headers },
      body: options.body,
      redirect: "error",
      signal,
    });
  } catch (cause) {
    throw new VerifierError(options.code, `${url}: request failed (${describeError(cause)})`, { url }, cause);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new VerifierError(options.code, `${url} answered HTTP ${response.status}`, { url, status: response.status });
  }
  let text: string;
  try {
    text = await readText(response, { maxBytes, signal });
  } catch (cause) {
    throw new VerifierError(
      options.code,
      `${url}: could not read the response (${describeError(cause)})`,
      { url },
      cause,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VerifierError(options.code, `${url} did not answer JSON`, { url });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new VerifierError(options.code, `${url} did not answer a JSON object`, { url });
  }
  return { body: body as Record<string, unknown>, headers: response.headers };
}

/**
 * Reads a response body as UTF-8, refusing more than `maxBytes` (checked while streaming, not
 * after). The timeout also covers the body: a server that sends headers and then stalls cannot
 * hold the read open (aborting the fetch alone does not always end a pending read).
 */
async function readText(response: Response, options: { maxBytes: number; signal: AbortSignal }): Promise<string> {
  const { maxBytes, signal } = options;
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) throw new Error(`body of ${declared} bytes exceeds ${maxBytes}`);
  if (!response.body) return "";
  const reader = response.body.getReader();
  const onAbort = (): void => {
    reader.cancel(signal.reason).catch(() => {});
  };
  signal.addEventListener("abort", onAbort, { once: true });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new Error(`body exceeds ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  if (signal.aborted) throw new Error("timed out while reading the body");
  return text + decoder.decode();
}

/**
 * client_secret_basic (RFC 6749 §2.3.1): id and secret are form-urlencoded before base64, so a
 * secret containing ':' cannot be misread as the separator.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Checks that a URL the verifier trusts for keys or revocations is https (RFC 8414 §2, RFC 7517
 * §9.1: keys fetched over plain http can be replaced by anyone on the path). Plain http is
 * allowed on loopback, and elsewhere only when the caller opts in explicitly.
 */
export function checkTrustedURL(value: string, options: { name: string; allowHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOption(options.name, "is not a valid URL");
  }
  if (url.username || url.password) throw invalidOption(options.name, "must not contain credentials");
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && (options.allowHttp || LOOPBACK_HOSTS.has(url.hostname))) return url;
  throw invalidOption(options.name, "must be an https URL (plain http only on loopback, or with allowHttp)");
}

/** A short description of a failure for logs: the message of an Error, without stack or cause chain. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
