import type { Client } from "./client.js";

/**
 * The scopes to grant: the requested ones if the client may have each of them, else
 * `invalid_scope`; every registered scope when none is requested (RFC 6749 §3.3 default).
 * Returns null when a requested scope is not allowed.
 */
export function grantableScopes(client: Client, requested: string | undefined): string[] | null {
  if (requested === undefined) return [...client.scopes];
  // RFC 6749 §3.3: space-delimited, case-sensitive; order and duplicates carry no meaning.
  const wanted = [...new Set(requested.split(" ").filter((token) => token !== ""))];
  const allowed = new Set(client.scopes);
  return wanted.every((scope) => allowed.has(scope)) ? wanted : null;
}
