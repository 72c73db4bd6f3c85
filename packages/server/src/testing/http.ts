/** A parsed response body; tests inspect it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not by types
export type ResponseBody = any;

export interface CallOptions {
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is (set the content-type in `headers`). */
  body?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** The parsed JSON, the text when it is not JSON, or null for an empty body. */
  body: ResponseBody;
}

/**
 * One request over real HTTP: status, headers and the parsed body.
 *
 * @example
 * const { status, body } = await call(server, "POST", "/auth/login", { json: { email, password } });
 */
export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}

/** `Basic …` credentials for client_secret_basic (RFC 6749 §2.3.1: form-encode, then base64). */
export function basicAuthorization(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}
