import { createHash } from "node:crypto";
import { VerifierError } from "../errors/verifier-error.js";
import { basicAuthorization, type FetchFunction, fetchJSONObject } from "../lib/http.js";
import type { TimersLike } from "../lib/timers.js";

export interface IntrospectionClientOptions {
  /** The RFC 7662 endpoint (`introspection_endpoint`). */
  endpoint: string;
  clientId: string;
  clientSecret: string;
  /** How long an answer is reused for the same token (default 5 s). Short: it delays revocations by as much. */
  cacheMs?: number;
  /** Most answers kept (default 10,000); the oldest go first. */
  maxEntries?: number;
  timeoutMs?: number;
  fetch?: FetchFunction;
  now?: () => number;
  /** Where the request timeout runs (default Node's, unref'd). */
  timers?: TimersLike;
}

/** Asks the auth server whether a token is active; true only for `"active": true`. */
export type IntrospectionClient = (token: string) => Promise<boolean>;

/**
 * An RFC 7662 client, used only while the revocation mirror is stale. Client-authenticated
 * (RFC 7662 §2.1, client_secret_basic), form POST of `token`; any answer other than
 * `{"active": true}` means inactive (§2.2). Failures throw INTROSPECTION_FAILED: the caller fails
 * closed. Concurrent calls for one token share one request; answers are cached briefly under a
 * hash of the token, so the cache holds no usable credential.
 */
export function createIntrospectionClient(options: IntrospectionClientOptions): IntrospectionClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const authorization = basicAuthorization(options.clientId, options.clientSecret);
  const answers = new Map<string, { active: boolean; until: number }>();
  const inFlight = new Map<string, Promise<boolean>>();

  async function ask(token: string): Promise<boolean> {
    const { body } = await fetchJSONObject(options.endpoint, {
      fetch: fetchFn,
      timeoutMs,
      timers: options.timers,
      code: "INTROSPECTION_FAILED",
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
    });
    if (typeof body["active"] !== "boolean") {
      throw new VerifierError("INTROSPECTION_FAILED", `${options.endpoint}: the answer has no boolean "active"`, {
        url: options.endpoint,
      });
    }
    return body["active"] === true;
  }

  return async function introspect(token: string): Promise<boolean> {
    const key = createHash("sha256").update(token).digest("base64url");
    const cached = answers.get(key);
    if (cached !== undefined) {
      if (cached.until > now()) return cached.active;
      answers.delete(key);
    }
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = ask(token).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const active = await pending;
    if (cacheMs > 0) {
      if (answers.size >= maxEntries) answers.delete(answers.keys().next().value as string);
      answers.set(key, { active, until: now() + cacheMs });
    }
    return active;
  };
}
