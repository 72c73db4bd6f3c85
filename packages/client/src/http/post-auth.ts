import type { FetchLike } from "../client-types.js";
import { errorFromResponse } from "../errors/from-response.js";
import { SigilClientError } from "../errors/sigil-client-error.js";

/** Where and how the auth endpoints are called; fixed when the client is created. */
export interface AuthEndpoint {
  /** The issuer URL without a trailing slash. */
  base: string;
  /** Cookie mode: the refresh token is an HttpOnly cookie the script never sees. */
  cookie: boolean;
  fetch: FetchLike;
}

/**
 * POSTs JSON to an auth endpoint and returns the 2xx answer; anything else becomes a
 * {@link SigilClientError}. A refresh token goes in the body (body mode) or the cookie, never in
 * the URL (RFC 6750 §5.3: URLs end up in logs, history and Referer headers).
 */
export async function postAuth(
  endpoint: AuthEndpoint,
  path: string,
  body: Record<string, string | undefined>,
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  // The custom header makes the request non-simple, so another site cannot send it (with the
  // user's cookie) without a CORS preflight the server refuses: the cookie's CSRF defence.
  if (endpoint.cookie) headers["sigil-refresh-cookie"] = "1";
  let response: Response;
  try {
    response = await endpoint.fetch(endpoint.base + path, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      credentials: endpoint.cookie ? "include" : "omit",
    });
  } catch (cause) {
    throw new SigilClientError("NETWORK_ERROR", { cause });
  }
  if (!response.ok) throw await errorFromResponse(response, path);
  return response;
}
