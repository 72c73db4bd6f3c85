import { findClient, setClientRedirectUris } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import { type Client, toClient } from "./client.js";

/**
 * What a client may register as a redirect URI (for codes, or after logout). Compared exactly at
 * use (RFC 9700 §4.1.3: no patterns, no prefixes), so what is checked here is that the URI is one
 * a browser can be sent to without handing the code to anyone else:
 * - an absolute https URL; http only on a loopback host (RFC 8252 §7.3: a native app or a
 *   developer's machine, where no network is crossed);
 * - no fragment (RFC 6749 §3.1.2), no user name or password;
 * - at most 2,048 characters.
 * Returns the URI as given, or throws a TypeError that names the rule broken.
 */
export function checkRedirectUri(raw: string): string {
  if (raw.length === 0 || raw.length > 2048) throw new TypeError("redirect URI: 1 to 2048 characters");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`redirect URI ${JSON.stringify(raw)} is not an absolute URL`);
  }
  if (url.hash !== "" || raw.includes("#")) {
    throw new TypeError(`redirect URI ${raw} has a fragment (RFC 6749 §3.1.2 forbids it)`);
  }
  if (url.username !== "" || url.password !== "") throw new TypeError(`redirect URI ${raw} carries credentials`);
  if (url.protocol === "https:") return raw;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return raw;
  throw new TypeError(
    `redirect URI ${raw} must use https (http only on a loopback host: 127.0.0.1, [::1], localhost), so that codes never cross a network in clear`,
  );
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Checks each and drops duplicates, keeping their order. */
export function checkRedirectUris(uris: readonly string[]): string[] {
  return [...new Set(uris.map(checkRedirectUri))];
}

/**
 * Replaces a client's redirect URIs and/or post-logout redirect URIs (each list only when given).
 * Only a client with the authorization_code grant has any, and it keeps at least one redirect URI.
 *
 * @example
 * await setRedirectUris(db, "bank", { redirectUris: ["https://bank.example.com/callback"] });
 */
export async function setRedirectUris(
  db: Queryable,
  clientId: string,
  uris: { redirectUris?: readonly string[]; postLogoutRedirectUris?: readonly string[] },
): Promise<Client> {
  const row = await findClient(db, clientId);
  if (row === null) throw new TypeError(`no client ${JSON.stringify(clientId)} is registered`);
  if (!row.grantTypes.includes("authorization_code")) {
    throw new TypeError(`client ${clientId} has no authorization_code grant: redirect URIs are for that grant`);
  }
  const redirectUris = uris.redirectUris && checkRedirectUris(uris.redirectUris);
  if (redirectUris !== undefined && redirectUris.length === 0) {
    throw new TypeError("the authorization_code grant needs at least one redirect URI");
  }
  const postLogoutRedirectUris = uris.postLogoutRedirectUris && checkRedirectUris(uris.postLogoutRedirectUris);
  const updated = await setClientRedirectUris(db, clientId, {
    ...(redirectUris ? { redirectUris } : {}),
    ...(postLogoutRedirectUris ? { postLogoutRedirectUris } : {}),
  });
  if (updated === null) throw new TypeError(`no client ${JSON.stringify(clientId)} is registered`);
  return toClient(updated);
}
