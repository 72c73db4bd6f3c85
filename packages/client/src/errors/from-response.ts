import { LOGIN_PATH } from "../http/paths.js";
import { retryAfterSeconds } from "../http/retry-after.js";
import { SigilClientError } from "./sigil-client-error.js";

/**
 * The error for a non-2xx answer of the auth server, classified by what the app can do about it.
 * The server's `error_description` is read for its leading keyword only and never copied into the
 * error: it is free text, and the message must stay safe to log and show.
 */
export async function errorFromResponse(response: Response, path: string): Promise<SigilClientError> {
  const { status } = response;
  const body = (await response.json().catch(() => null)) as { error?: unknown; error_description?: unknown } | null;
  const serverError = typeof body?.error === "string" ? body.error : undefined;
  const details = { status, serverError, retryAfterSeconds: retryAfterSeconds(response.headers) };
  if (status === 429) return new SigilClientError("RATE_LIMITED", details);
  if (status >= 500) return new SigilClientError("SERVER_UNAVAILABLE", details);
  if (status === 401 && serverError === "invalid_grant") {
    // RFC 6749 §5.2 invalid_grant. On login: wrong email or password (the server does not say
    // which). On refresh: the description starts with the reason, `session_revoked: …`.
    if (path === LOGIN_PATH) return new SigilClientError("INVALID_CREDENTIALS", details);
    const keyword = /^\s*([a-z_]+)/.exec(String(body?.error_description ?? ""))?.[1];
    return new SigilClientError(keyword === "missing_token" ? "NOT_SIGNED_IN" : "SESSION_ENDED", {
      ...details,
      keyword,
    });
  }
  return new SigilClientError("REQUEST_REFUSED", details);
}
